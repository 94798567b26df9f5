"""surveysite: a static website generator for literature surveys, built on MkDocs."""
