"""The small curated knowledge the generator brings to an article: what kind of thing a tool is, who makes it.

The articles decide WHICH tools and roles appear in the bank and what is said of them; this table only
supplies the obvious category or maker that an article takes for granted ("tools like Tableau") and that a
distractor needs ("Tableau is not a cloud platform"). Keep entries to facts nobody would dispute.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Category:
    key: str
    label: str
    """Singular, lower case, usable after "a"/"an": "data visualization tool"."""
    family: str = ""
    """A wider label shared by closely related categories (containers and their orchestration)."""
    difficulty: str = "easy"
    """How hard "which category is X?" is: everyone knows a cloud platform, fewer know a big-data engine."""
    hint: str = ""
    """A regex matching an article sentence that names a tool as one of these ("cloud services like")."""

    @property
    def family_label(self) -> str:
        return self.family or self.label


ML_LIBRARY = Category("ml-library", "machine learning library", hint=r"(?i)librar|framework")
DATA_LIBRARY = Category("data-library", "data analysis library", difficulty="medium", hint=r"(?i)analy|数据")
VISUALIZATION = Category("visualization", "data visualization tool", difficulty="medium", hint=r"(?i)visuali")
BIG_DATA = Category(
    "big-data", "big-data processing framework", difficulty="medium", hint=r"(?i)big data|distributed|分布式"
)
CLOUD = Category("cloud", "cloud computing platform", hint=r"(?i)cloud")
CONTAINERS = Category(
    "containers", "containerization tool", family="container tool", difficulty="medium", hint=r"(?i)container"
)
ORCHESTRATION = Category(
    "orchestration",
    "container orchestration tool",
    family="container tool",
    difficulty="medium",
    hint=r"(?i)orchestrat",
)
VERSION_CONTROL = Category("version-control", "version control system", hint=r"(?i)version control")

CATEGORIES: tuple[Category, ...] = (
    ML_LIBRARY,
    DATA_LIBRARY,
    VISUALIZATION,
    BIG_DATA,
    CLOUD,
    CONTAINERS,
    ORCHESTRATION,
    VERSION_CONTROL,
)

_NEAR: frozenset[frozenset[str]] = frozenset(
    {
        frozenset({"ml-library", "data-library"}),
        frozenset({"data-library", "visualization"}),
        frozenset({"data-library", "big-data"}),
    }
)
"""Pairs of categories whose tools overlap in practice (Pandas plots, Spark analyses data, scikit-learn calls
itself "predictive data analysis"): neither is offered as the wrong answer for the other."""


def near(a: Category, b: Category) -> bool:
    """True when ``a`` and ``b`` are the same category or too close to tell apart fairly."""
    return a.key == b.key or frozenset({a.key, b.key}) in _NEAR


@dataclass(frozen=True, slots=True)
class Tool:
    key: str
    name: str
    category: Category
    pattern: re.Pattern[str]
    aliases: tuple[str, ...] = ()
    """Other accepted spellings for short-answer questions."""
    also: tuple[Category, ...] = ()
    """Categories the tool can fairly be said to belong to as well; never offered as a wrong answer."""
    maker: str = ""
    maker_question: str = ""
    """How to ask for the maker without giving it away ("originally developed" where it changed hands)."""
    summary: str = ""
    """One line for explanations; category-level facts only."""

    def could_be(self, category: Category) -> bool:
        """Whether calling this tool ``category`` could be defended: its own, an ``also``, or a near one."""
        return any(near(own, category) for own in (self.category, *self.also))


def _tool(
    key: str,
    name: str,
    category: Category,
    regex: str,
    *,
    aliases: tuple[str, ...] = (),
    also: tuple[Category, ...] = (),
    maker: str = "",
    maker_question: str = "",
    summary: str,
) -> Tool:
    return Tool(
        key=key,
        name=name,
        category=category,
        pattern=re.compile(rf"(?<![\w.]){regex}(?![\w])"),
        aliases=aliases,
        also=also,
        maker=maker,
        maker_question=maker_question,
        summary=summary,
    )


TOOLS: tuple[Tool, ...] = (
    _tool(
        "tensorflow",
        "TensorFlow",
        ML_LIBRARY,
        r"TensorFlow",
        maker="Google",
        maker_question="Which company developed the TensorFlow machine learning framework?",
        summary="TensorFlow is an open-source machine learning framework from Google.",
    ),
    _tool(
        "pytorch",
        "PyTorch",
        ML_LIBRARY,
        r"PyTorch",
        maker="Meta",
        maker_question="Which company's AI research lab originally developed PyTorch?",
        summary="PyTorch is an open-source machine learning library, first developed at Meta (Facebook).",
    ),
    _tool(
        "scikit-learn",
        "Scikit-learn",
        ML_LIBRARY,
        r"(?i:scikit-learn|sklearn)",
        aliases=("scikit-learn", "sklearn", "scikit learn"),
        summary="Scikit-learn is a Python library of classic machine learning algorithms.",
    ),
    _tool(
        "keras",
        "Keras",
        ML_LIBRARY,
        r"Keras",
        summary="Keras is a high-level API for building and training neural networks.",
    ),
    _tool(
        "pandas",
        "Pandas",
        DATA_LIBRARY,
        r"(?:Pandas|pandas(?= library| dataframe))",
        summary="Pandas is a Python library for manipulating and analyzing tabular data.",
    ),
    _tool(
        "numpy",
        "NumPy",
        DATA_LIBRARY,
        r"(?i:numpy)",
        summary="NumPy is the Python library for numerical arrays that most data tools build on.",
    ),
    _tool(
        "matplotlib",
        "Matplotlib",
        VISUALIZATION,
        r"(?i:matplotlib)",
        summary="Matplotlib is a Python plotting library for charts and figures.",
    ),
    _tool(
        "tableau",
        "Tableau",
        VISUALIZATION,
        r"Tableau",
        summary="Tableau is a data visualization and dashboard application.",
    ),
    _tool(
        "d3-js",
        "D3.js",
        VISUALIZATION,
        r"(?i:d3\.js|d3js)",
        aliases=("D3.js", "D3", "d3js"),
        summary="D3.js is a JavaScript library for data-driven visualizations in the browser.",
    ),
    _tool(
        "hadoop",
        "Hadoop",
        BIG_DATA,
        r"(?:Apache )?Hadoop",
        aliases=("Hadoop", "Apache Hadoop"),
        summary="Apache Hadoop is a framework for storing and processing big data on clusters.",
    ),
    _tool(
        "spark",
        "Apache Spark",
        BIG_DATA,
        r"(?:Apache )?Spark",
        aliases=("Apache Spark", "Spark", "PySpark"),
        also=(ML_LIBRARY,),
        summary="Apache Spark is a distributed big-data processing engine with a machine learning library.",
    ),
    _tool(
        "aws",
        "AWS",
        CLOUD,
        r"(?:AWS|Amazon Web Services)",
        aliases=("AWS", "Amazon Web Services", "Amazon"),
        maker="Amazon",
        summary="AWS (Amazon Web Services) is Amazon's cloud computing platform.",
    ),
    _tool(
        "google-cloud",
        "Google Cloud",
        CLOUD,
        r"Google Cloud",
        aliases=("Google Cloud", "GCP", "Google Cloud Platform"),
        maker="Google",
        summary="Google Cloud is Google's cloud computing platform.",
    ),
    _tool(
        "azure",
        "Azure",
        CLOUD,
        r"(?:Microsoft )?Azure",
        aliases=("Azure", "Microsoft Azure"),
        maker="Microsoft",
        maker_question="Which company runs the Azure cloud platform?",
        summary="Azure is Microsoft's cloud computing platform.",
    ),
    _tool(
        "docker",
        "Docker",
        CONTAINERS,
        r"Docker",
        also=(ORCHESTRATION,),
        summary="Docker packages applications and their dependencies into containers.",
    ),
    _tool(
        "kubernetes",
        "Kubernetes",
        ORCHESTRATION,
        r"Kubernetes",
        aliases=("Kubernetes", "K8s"),
        also=(CONTAINERS,),
        maker="Google",
        maker_question="Which company originally developed Kubernetes?",
        summary="Kubernetes orchestrates containers: it deploys, scales and heals them across a cluster.",
    ),
    _tool(
        "git",
        "Git",
        VERSION_CONTROL,
        r"Git",
        summary="Git is a distributed version control system.",
    ),
)

TOOLS_BY_KEY: dict[str, Tool] = {tool.key: tool for tool in TOOLS}

MAKERS: tuple[str, ...] = ("Google", "Meta", "Microsoft", "Amazon")
"""Companies offered as choices in "who makes it" questions."""


@dataclass(frozen=True, slots=True)
class Role:
    """A job title an article contrasts with the machine learning engineer."""

    key: str
    name: str
    pattern: re.Pattern[str] = field(repr=False)


def _role(key: str, name: str) -> Role:
    plural = rf"{name}s?"
    return Role(key, name, re.compile(rf"^(?:(?:A|An|The)\s+)?({plural})\s+", re.IGNORECASE))


ROLES: tuple[Role, ...] = (
    _role("ml-engineer", "Machine Learning Engineer"),
    _role("data-scientist", "Data Scientist"),
    _role("software-engineer", "Software Engineer"),
)
