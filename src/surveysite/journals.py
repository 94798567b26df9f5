"""The journal macros of ADS's BibTeX exports ('journal = {\\aap}'), as the AAS macros print them.

ADS writes an astronomy journal as a macro of the AAS TeX macros (aas_macros.sty, of AAS TeX 5.2,
which ADS hands out for its exports), which a document defines; the site's downloads carry no TeX
command a document must define, so `surveysite new --strip` writes each as the abbreviation it
prints, and check names it. The abbreviations are those of that file.
"""

from __future__ import annotations

AAS_JOURNALS = {
    "aj": "AJ",
    "actaa": "Acta Astron.",
    "araa": "ARA\\&A",
    "apj": "ApJ",
    "apjl": "ApJ",
    "apjs": "ApJS",
    "ao": "Appl. Opt.",
    "apss": "Ap\\&SS",
    "aap": "A\\&A",
    "aapr": "A\\&A Rev.",
    "aaps": "A\\&AS",
    "azh": "AZh",
    "baas": "BAAS",
    "bac": "Bull. astr. Inst. Czechosl.",
    "caa": "Chinese Astron. Astrophys.",
    "cjaa": "Chinese J. Astron. Astrophys.",
    "icarus": "Icarus",
    "jcap": "J. Cosmology Astropart. Phys.",
    "jrasc": "JRASC",
    "memras": "MmRAS",
    "mnras": "MNRAS",
    "na": "New A",
    "nar": "New A Rev.",
    "pra": "Phys. Rev. A",
    "prb": "Phys. Rev. B",
    "prc": "Phys. Rev. C",
    "prd": "Phys. Rev. D",
    "pre": "Phys. Rev. E",
    "prl": "Phys. Rev. Lett.",
    "pasa": "PASA",
    "pasp": "PASP",
    "pasj": "PASJ",
    "rmxaa": "Rev. Mexicana Astron. Astrofis.",
    "qjras": "QJRAS",
    "skytel": "S\\&T",
    "solphys": "Sol. Phys.",
    "sovast": "Soviet Ast.",
    "ssr": "Space Sci. Rev.",
    "zap": "ZAp",
    "nat": "Nature",
    "iaucirc": "IAU Circ.",
    "aplett": "Astrophys. Lett.",
    "apspr": "Astrophys. Space Phys. Res.",
    "bain": "Bull. Astron. Inst. Netherlands",
    "fcp": "Fund. Cosmic Phys.",
    "gca": "Geochim. Cosmochim. Acta",
    "grl": "Geophys. Res. Lett.",
    "jcp": "J. Chem. Phys.",
    "jgr": "J. Geophys. Res.",
    "jqsrt": "J. Quant. Spec. Radiat. Transf.",
    "memsai": "Mem. Soc. Astron. Italiana",
    "nphysa": "Nucl. Phys. A",
    "physrep": "Phys. Rep.",
    "physscr": "Phys. Scr",
    "planss": "Planet. Space Sci.",
    "procspie": "Proc. SPIE",
    "astap": "A\\&A",
    "apjlett": "ApJ",
    "apjsupp": "ApJS",
    "applopt": "Appl. Opt.",
}


def aas_journal(value: str) -> tuple[str, str] | None:
    """The macro a journal's value is alone ('\\aap', '{\\aap}'), and the abbreviation it prints; None
    for any other value."""
    name = value.strip().strip("{}").strip()
    if not name.startswith("\\") or name[1:] not in AAS_JOURNALS:
        return None
    return name, AAS_JOURNALS[name[1:]]
