"""Write a complete synthetic survey project of N studies, for benchmarks.

    python scripts/synthetic.py --studies 10000 --out /tmp/synthetic-10k

The project has the real site's mkdocs.yml, survey.yaml, taxonomy and hand-written pages, and builds
with the same commands (`surveysite pages --out DIR`, `mkdocs build --strict`). Its data is made to
be realistic and not easy: BibTeX entries of about a kilobyte, LaTeX accents and escapes in more
than a fifth of the author names, braces and math in some titles, one to three leaves per study,
every facet used, years spread over a decade. The same N always gives the same files.
"""

from __future__ import annotations

import argparse
import datetime
import random
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEED = 20240202
LEAVES = (
    "rl4llm/fine-tuning/with-human-feedback",
    "rl4llm/fine-tuning/without-human-feedback",
    "rl4llm/prompt",
    "llm4rl/reward",
    "llm4rl/goal",
    "llm4rl/policy",
    "rl-plus-llm/without-language-feedback",
    "rl-plus-llm/with-language-feedback",
)
PLAIN_FAMILY = (
    "Smith", "Chen", "Wang", "Kumar", "Okafor", "Johnson", "Tanaka", "Nguyen", "Brown", "Ivanova",
    "Rossi", "Kim", "Silva", "Cohen", "Hughes", "Patel", "Novak", "Larsen", "Ali", "Moreau",
)  # fmt: skip
LATEX_FAMILY = (
    r"M{\"u}ller", r"Garc{\'\i}a", r"Dvo{\v{r}}{\'a}k", r"Sch{\"o}lkopf", r"Ch{\^a}telet",
    r"{\O}stergaard", r"Jim{\'e}nez", r"Erd{\H{o}}s", r"Stra{\ss}er", r"Fran{\c{c}}ois",
    r"{\v{S}}koda", r"Ba{\~n}os", r"{\AA}str{\"o}m", r"Nu{\~n}ez", r"Gro{\ss}e",
)  # fmt: skip
GIVEN = (
    "Alice", "Bo", "Chiara", "Dmitri", "Esther", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kemal",
    "Lena", "Mateo", "Nia", "Omar", "Priya", "Quentin", "Rosa", "Sven", "Tomasz", "Uma", "Viktor",
)  # fmt: skip
LATEX_GIVEN = (r"Ren{\'e}", r"J{\"o}rg", r"Zo{\"e}", r"Fran{\c{c}}oise", r"Ji{\v{r}}{\'\i}")
TOPICS = (
    "Reward Models", "Policy Optimization", "Prompt Search", "Language Feedback", "Goal Proposals",
    "Skill Planning", "Preference Learning", "Offline Reinforcement Learning", "Exploration",
    "Embodied Agents", "Reasoning", "Red Teaming", "Curriculum Design", "Value Functions",
)  # fmt: skip
TITLE_TEMPLATES = (
    "Scaling {a} for {b}",
    "{a} Meets {b}: A Study of {{RL}} and {{LLM}} Agents",
    "On the Sample Complexity of {a} with $O(\\sqrt{{T}})$ Regret",
    "Learning {a} from {b} in {{Minecraft}} and {{ALFWorld}}",
    "{a} via {b}",
    "Towards Robust {a}: {b} with $\\epsilon$-Greedy Language Policies",
    "When Does {a} Help {b}?",
)
VENUES = (
    ("inproceedings", "booktitle", "Advances in Neural Information Processing Systems"),
    ("inproceedings", "booktitle", "International Conference on Learning Representations"),
    ("inproceedings", "booktitle", "Proceedings of the International Conference on Machine Learning"),
    ("inproceedings", "booktitle", "Proceedings of the Annual Meeting of the ACL"),
    ("article", "journal", "Journal of Artificial Intelligence Research"),
    ("article", "journal", "Transactions on Machine Learning Research"),
    ("misc", None, None),
)  # fmt: skip
FACET_POOLS = {
    "llm": ("GPT-2", "GPT-3", "GPT-3.5", "GPT-4", "T5", "FLAN-T5", "LLaMA", "Llama 2", "PaLM", "Codex"),
    "rl-algorithm": ("PPO", "REINFORCE", "DQN", "SAC", "A2C", "GRPO", "ILQL", "NLPO"),
    "environment": ("Crafter", "ALFWorld", "BabyAI", "Minecraft", "Isaac Gym", "GSM8K", "MATH", "Meta-World"),
    "domain": ("Alignment", "Language tasks", "Reasoning", "Safety testing", "Robotics", "Games"),
    "feedback": ("human", "AI", "automatic metric", "environment", "no feedback"),
}
SENTENCES = (
    "The study trains a policy with reinforcement learning while a language model shapes the signal.",
    "A frozen language model proposes candidates and a small agent learns which ones to keep.",
    "Experiments cover several benchmarks and compare against strong baselines.",
    "The authors report gains in sample efficiency and discuss where the method fails.",
    "Ablations isolate the contribution of the language model's feedback.",
    "The approach is evaluated in simulation and analysed for robustness to prompt wording.",
)


def person(rng: random.Random, accented: bool) -> str:
    """One author as 'Family, Given', LaTeX-accented when asked."""
    family = rng.choice(LATEX_FAMILY if accented else PLAIN_FAMILY)
    given = rng.choice(LATEX_GIVEN if accented and rng.random() < 0.3 else GIVEN)
    return f"{family}, {given}"


def bib_entry(rng: random.Random, index: int, key: str, year: int) -> str:
    """A BibTeX entry of about a kilobyte."""
    authors = " and ".join(person(rng, rng.random() < 0.25) for _ in range(rng.randint(14, 30)))
    a, b = rng.sample(TOPICS, 2)
    title = rng.choice(TITLE_TEMPLATES).format(a=a, b=b) + f" ({index})"
    entry_type, venue_field, venue = rng.choice(VENUES)
    fields = [("author", authors), ("title", title)]
    if venue_field:
        fields.append((venue_field, f"{venue} {year}" if venue_field == "booktitle" else venue))
    if entry_type == "article":
        fields += [("volume", str(year - 2000)), ("number", str(rng.randint(1, 12)))]
    if entry_type != "misc":
        start = rng.randint(1, 9000)
        fields += [("pages", f"{start}--{start + rng.randint(8, 30)}"), ("publisher", "Synthetic Press")]
        fields.append(("doi", f"10.5555/synthetic.{year}.{index}"))
    arxiv = f"{year % 100:02d}{rng.randint(1, 12):02d}.{index % 100000:05d}"
    fields += [("year", str(year)), ("eprint", arxiv), ("archivePrefix", "arXiv"), ("primaryClass", "cs.LG")]
    fields.append(("url", f"https://arxiv.org/abs/{arxiv}"))
    body = ",\n".join(f"  {name:<13} = {{{value}}}" for name, value in fields)
    return f"@{entry_type}{{{key},\n{body},\n}}\n"


def study_file(rng: random.Random, index: int, added: datetime.date) -> str:
    """A study annotation using every facet."""
    facets: dict[str, object] = {}
    for facet_id, pool in FACET_POOLS.items():
        values = rng.sample(pool, rng.randint(1, 2))
        facets[facet_id] = values if rng.random() > 0.05 else ["not stated"]
    facets["code"] = rng.choice(("yes", "no", "not stated"))
    data: dict[str, object] = {
        "name": f"Study {index}",
        "categories": rng.sample(LEAVES, rng.choices((1, 2, 3), weights=(70, 25, 5))[0]),
        "placement": rng.choices(("high", "medium", "low"), weights=(70, 20, 10))[0],
        "in_survey": rng.random() < 0.3,
        "added": added,
        "summary": " ".join(rng.sample(SENTENCES, 3)),
        "facets": facets,
    }
    if data["placement"] != "high":
        data["placement_note"] = "The leaf is a judgement call between two neighbouring leaves."
    if facets["code"] == "yes":
        data["links"] = {"code": f"https://example.org/code/study-{index}"}
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def write_project(studies: int, out: Path) -> None:
    """Write the synthetic project to `out` (which must not exist yet)."""
    if out.exists():
        raise SystemExit(f"{out} already exists; choose a new folder")
    rng = random.Random(SEED)
    (out / "content").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "taxonomy.yaml", out / "content" / "taxonomy.yaml")
    # The survey's identity, without its own data rules and study count: synthetic studies follow neither.
    survey = yaml.safe_load((ROOT / "content" / "survey.yaml").read_text(encoding="utf-8"))
    survey.pop("rules", None)
    survey.get("edition_of", {}).pop("studies", None)
    (out / "content" / "survey.yaml").write_text(yaml.safe_dump(survey, sort_keys=False), encoding="utf-8")
    shutil.copytree(ROOT / "content" / "pages", out / "content" / "pages")
    shutil.copy(ROOT / "mkdocs.yml", out / "mkdocs.yml")
    (out / "bib").mkdir()
    (out / "content" / "studies").mkdir()
    first_day = datetime.date(2024, 2, 2)
    with (out / "bib" / "studies.bib").open("w", encoding="utf-8") as bib:
        for index in range(1, studies + 1):
            year = 2016 + index % 10
            key = f"study{year}s{index:05d}"
            bib.write(bib_entry(rng, index, key, year) + "\n")
            added = first_day + datetime.timedelta(days=rng.randint(0, 1000))
            (out / "content" / "studies" / f"{key}.yaml").write_text(
                study_file(rng, index, added), encoding="utf-8"
            )


def main() -> None:
    """Parse the arguments and write the project."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--studies", type=int, required=True, help="how many studies")
    parser.add_argument("--out", type=Path, required=True, help="a new folder for the project")
    args = parser.parse_args()
    write_project(args.studies, args.out)
    print(f"Wrote a project of {args.studies} studies to {args.out}.")


if __name__ == "__main__":
    main()
