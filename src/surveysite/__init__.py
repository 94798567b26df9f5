"""Generator for the browsable edition of The RL/LLM Taxonomy Tree survey."""
