"""The word lists the delivery analysis reads: fillers and their contexts, hedges, pronouns, numbers
and units, technical terms. Kept apart from the rules that use them (recordings/analysis.py) so the
lists can grow without touching the logic."""

from __future__ import annotations

# words that show technical depth in a spoken answer (the behavioral rubric's "technical depth" line)
TECH_TERMS = frozenset(
    {
        "airflow",
        "alerting",
        "backfill",
        "batch",
        "bigquery",
        "broadcast",
        "cache",
        "cdc",
        "checkpoint",
        "compaction",
        "contract",
        "dbt",
        "dedupe",
        "delta",
        "flink",
        "iceberg",
        "idempotent",
        "index",
        "join",
        "joins",
        "kafka",
        "latency",
        "lineage",
        "merge",
        "monitoring",
        "orchestration",
        "parquet",
        "partition",
        "partitioned",
        "partitioning",
        "pipeline",
        "queries",
        "query",
        "retries",
        "retry",
        "s3",
        "schema",
        "shuffle",
        "skew",
        "sla",
        "snowflake",
        "spark",
        "sql",
        "streaming",
        "test",
        "tests",
        "throughput",
        "warehouse",
        "watermark",
        "watermarks",
    }
)


UM_SOUNDS = {"um", "umm", "ummm", "uhm", "hmm", "hm", "mm", "mmm", "erm"}
UH_SOUNDS = {"uh", "uhh", "er", "err", "ah", "eh"}
FILLER_TYPES = (
    "um",
    "uh",
    "like",
    "so",
    "basically",
    "actually",
    "you know",
    "i mean",
    "kind of",
    "sort of",
    "right",
    "literally",
)

# articles, demonstratives and possessives: each starts a noun phrase, so both sets below hold them
ARTICLES_AND_DEMONSTRATIVES = frozenset({"a", "an", "the", "this", "that", "these", "those"})
POSSESSIVES = frozenset({"my", "our", "your", "his", "her", "their", "its"})
DETERMINERS = (
    ARTICLES_AND_DEMONSTRATIVES
    | POSSESSIVES
    | {
        "what",
        "which",
        "some",
        "any",
        "every",
        "each",
        "one",
        "same",
        "different",
        "other",
        "another",
        "no",
        "whatever",
        "first",
        "new",
        "similar",
        "specific",
        "particular",
        "certain",
        "all",
    }
)
OBJECT_STARTERS = (
    ARTICLES_AND_DEMONSTRATIVES
    | POSSESSIVES
    | {
        "it",
        "us",
        "them",
        "me",
        "him",
        "any",
        "some",
        "when",
        "what",
        "how",
        "each",
        "every",
        "other",
        "most",
        "someone",
        "somebody",
        "something",
        "anything",
        "everything",
        "nothing",
    }
)
LIKE_VERB_BEFORE = {
    "i",
    "we",
    "you",
    "they",
    "he",
    "she",
    "would",
    "i'd",
    "we'd",
    "you'd",
    "they'd",
    "do",
    "does",
    "did",
    "don't",
    "didn't",
    "doesn't",
    "to",
    "really",
    "also",
    "might",
    "may",
    "will",
    "could",
    "should",
    "wouldn't",
    "people",
    "not",
    "'d",
}
LIKE_COMPARE_BEFORE = {
    "look",
    "looks",
    "looked",
    "looking",
    "seem",
    "seems",
    "seemed",
    "sound",
    "sounds",
    "sounded",
    "feel",
    "feels",
    "felt",
    "something",
    "anything",
    "nothing",
    "everything",
    "things",
    "stuff",
    "much",
    "more",
    "less",
    "exactly",
    "just",
    "act",
    "acts",
    "acted",
}
SO_NOT_BEFORE = {"that", "much", "many", "far", "long", "few", "little", "called", "forth", "on"}
SO_NOT_AFTER = {"and", "or", "think", "hope", "guess", "said", "not", "say", "believe", "suppose"}
RIGHT_NOT_NEXT = {
    "now",
    "away",
    "after",
    "before",
    "answer",
    "thing",
    "way",
    "side",
    "call",
    "choice",
    "person",
    "tool",
    "one",
    "time",
    "place",
    "there",
    "here",
    "then",
    "at",
    "to",
    "into",
    "about",
}
KNOW_NOT_BEFORE = {
    "do",
    "did",
    "don't",
    "didn't",
    "if",
    "as",
    "would",
    "does",
    "that",
    "who",
    "what",
    "to",
    "you'd",
    "whether",
    "could",
    "might",
    "let",
}
KNOW_COMPLEMENT = {
    "that",
    "how",
    "what",
    "where",
    "why",
    "when",
    "who",
    "whether",
    "if",
    "the",
    "a",
    "about",
    "it",
    "this",
    "them",
    "him",
    "her",
    "me",
    "us",
    "everything",
    "something",
    "anything",
    "exactly",
}
MEAN_NOT_BEFORE = {"what", "do", "did", "don't", "didn't", "if", "you", "really"}
MEAN_COMPLEMENT = {"that", "it", "to", "what", "this", "when"}
# "I mean it was simple": a verb after "it"/"this" makes it the subject of a new clause, so "I mean" is
# the discourse marker with its comma lost in transcription, not "I mean it" (= I am serious)
CLAUSE_VERBS = {
    "is", "was", "were", "are", "has", "had", "will", "would", "could", "can", "did", "does",
    "isn't", "wasn't", "didn't", "doesn't", "won't", "wouldn't", "couldn't", "took", "worked",
    "failed", "broke", "made", "cost", "went", "ran", "meant", "seemed", "felt", "looked",
}  # fmt: skip
DOMAIN_NOUNS = {
    "data",
    "problem",
    "problems",
    "issue",
    "issues",
    "thing",
    "things",
    "system",
    "systems",
    "pipeline",
    "pipelines",
    "job",
    "jobs",
    "query",
    "queries",
    "table",
    "tables",
    "work",
    "person",
    "team",
    "question",
    "situation",
    "approach",
    "tool",
    "tools",
    "project",
    "change",
    "error",
    "errors",
    "stuff",
    "role",
    "model",
    "schema",
    "test",
    "tests",
    "feedback",
    "conflict",
    "decision",
}
VOCAL = UM_SOUNDS | UH_SOUNDS

HEDGES = (
    "i think",
    "i guess",
    "i believe",
    "i suppose",
    "i feel like",
    "i'm not sure",
    "maybe",
    "probably",
    "perhaps",
    "might",
    "somewhat",
    "a little bit",
    "hopefully",
    "sort of",
    "kind of",
)
I_WORDS = {"i", "me", "my", "mine", "myself", "i'm", "i've", "i'd", "i'll"}
WE_WORDS = {"we", "us", "our", "ours", "ourselves", "we're", "we've", "we'd", "we'll"}

NUMBER_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "half": 0.5,
    "dozen": 12,
}
SCALE_WORDS = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "k": 1_000}
UNITS = {
    "%": "%",
    "percent": "%",
    "percentage": "%",
    "x": "x",
    "times": "x",
    "fold": "x",
    "ms": "ms",
    "millisecond": "ms",
    "milliseconds": "ms",
    "second": "s",
    "seconds": "s",
    "min": "min",  # typed notes abbreviate: "3 h → 40 min"
    "mins": "min",
    "h": "h",
    "hr": "h",
    "hrs": "h",
    "sec": "s",
    "s": "s",
    "grand": "$",
    "bucks": "$",
    "secs": "s",
    "minute": "min",
    "minutes": "min",
    "hour": "h",
    "hours": "h",
    "day": "days",
    "days": "days",
    "week": "weeks",
    "weeks": "weeks",
    "month": "months",
    "months": "months",
    "year": "years",
    "years": "years",
    "dollars": "$",
    "dollar": "$",
    "kb": "KB",
    "mb": "MB",
    "gb": "GB",
    "tb": "TB",
    "pb": "PB",
    "gigabytes": "GB",
    "terabytes": "TB",
    "petabytes": "PB",
    "megabytes": "MB",
    "rows": "rows",
    "row": "rows",
    "records": "records",
    "events": "events",
    "users": "users",
    "customers": "customers",
    "queries": "queries",
    "jobs": "jobs",
    "tables": "tables",
    "pipelines": "pipelines",
    "engineers": "engineers",
    "people": "people",
    "nodes": "nodes",
    "servers": "servers",
    "files": "files",
    "dashboards": "dashboards",
    "teams": "teams",
    "incidents": "incidents",
    "tickets": "tickets",
    "requests": "requests",
    "partitions": "partitions",
    "messages": "messages",
}


STOPWORDS = {
    "the",
    "a",
    "an",
    "and",
    "or",
    "to",
    "of",
    "in",
    "on",
    "it",
    "that",
    "is",
    "was",
    "we",
    "i",
    "for",
    "with",
    "this",
    "so",
    "at",
    "be",
    "as",
    "but",
    "had",
    "have",
    "were",
    "are",
    "then",
    "they",
}


# -- STAR beats (recordings/star.py): what a sentence does, read from its words ----------------------------
SUBJECTS = {
    "i", "we", "they", "he", "she", "it", "i'd", "we'd", "i'll", "we'll", "i'm", "we're", "i've", "we've", "everyone",
    "nobody", "someone", "people", "you", "they're", "she's", "he's", "they've",
}  # fmt: skip
# adverbs that sit between a subject and its verb ("I then rewrote", "we finally shipped")
ADVERBS = {
    "then", "also", "just", "finally", "quickly", "eventually", "first", "immediately", "actually", "really",
    "still", "basically", "personally", "simply", "carefully", "later", "instead", "even", "only", "never",
    "always", "already", "now", "soon", "directly", "initially", "originally", "both", "all", "ultimately",
    "manually", "literally", "kind", "sort", "of", "pretty", "suddenly", "mostly", "usually", "often",
    "constantly", "not", "um", "uh", "like", "so", "officially", "honestly", "once",
}  # fmt: skip
PAST_IRREGULAR = {
    "built", "wrote", "ran", "found", "made", "took", "went", "got", "sent", "set", "put", "cut", "split",
    "brought", "bought", "told", "said", "spoke", "met", "led", "drew", "chose", "began", "thought", "sat",
    "kept", "left", "gave", "rebuilt", "rewrote", "broke", "caught", "dug", "fed", "held", "knew", "let",
    "lost", "meant", "read", "saw", "shut", "sought", "spent", "stood", "taught", "threw", "understood",
    "won", "hid", "tore", "drove", "flew", "grew", "laid", "paid", "rose", "sold", "shook", "fell", "came",
    "became", "did", "froze", "overrode", "undid", "withdrew", "forgot", "heard", "felt", "slept", "shrank",
    "sank", "swapped", "stuck", "struck", "upheld", "woke", "wound", "beat", "blew", "dealt", "fought",
    "hung", "lit", "rode", "rang", "sped", "spun", "stole", "swore", "tossed", "oversaw", "outgrew",
    "mistook", "misread", "rethought", "redid", "reran", "rewound", "overtook",
}  # fmt: skip
# words ending in -ed that are not a past verb of doing
NOT_PAST_ED = {
    "need", "needed", "based", "related", "called", "supposed", "red", "bed", "shed", "speed", "feed", "seed",
    "indeed", "hundred", "exceed", "proceed", "succeed", "breed", "embed", "embedded", "interested",
    "advanced", "detailed", "limited", "dedicated", "experienced", "distributed", "automated", "unexpected",
    "complicated", "outdated", "scheduled", "partitioned", "shared", "tired", "worried", "excited",
    "frustrated", "annoyed", "concerned", "involved", "used", "wanted", "seemed", "expected",
    "allowed", "required", "assigned", "asked", "tasked", "mixed", "mid", "united", "undocumented",
    "untested", "unowned", "unmonitored", "hardcoded", "hard-coded", "biased",
}  # fmt: skip
# a past verb that describes a state, not a deed ("we used Airflow", "it seemed fine")
STATE_PAST = {
    "used", "seemed", "looked", "belonged", "owned", "depended", "contained", "lived", "existed", "knew",
    "relied", "involved", "meant", "felt", "wanted", "thought", "believed", "assumed",
    "suspected", "worried", "figured", "doubted", "noticed", "hoped", "liked", "hated", "loved", "had", "consisted",
    "averaged", "spanned", "stood", "lacked",
}  # fmt: skip
# present verbs of a state of mind, not a step ("I never trust a new source", "I like to know")
STATE_NOW = frozenset({"trust", "like", "love", "hate", "believe", "doubt", "prefer", "understand", "mind"})
# -ing forms that keep a state, not a step ("we are having problems", "I'm being careful")
STATE_ING = frozenset(
    {"having", "being", "struggling", "facing", "seeing", "getting", "running", "using", "losing"}
)
# -ing verbs of what happens to us, not what we do ("our jobs started failing", "we began falling behind")
HAPPENING = frozenset(
    {"falling", "failing", "losing", "missing", "breaking", "slipping", "lagging", "dropping", "timing", "crashing",
     "drowning", "struggling", "getting", "running", "piling", "growing", "creeping", "leaking", "stalling"}
)  # fmt: skip
# verbs ending in -ly (not adverbs after a subject: "we supply", "I multiply")
LY_VERBS = frozenset(
    {"supply", "supplied", "comply", "multiply", "multiplied", "apply", "reply", "rely", "bully"}
)
# what follows "I learned" when it is a lesson ("I learned to check…", "learned that…"), not a skill picked up
LESSON_AFTER = frozenset({"to", "that", "never", "always", "not", "early"})
# "I was asked to", "we were told to": someone gave the speaker a goal
PASSIVE_TASK = {
    "asked",
    "told",
    "tasked",
    "given",
    "supposed",
    "expected",
    "responsible",
    "accountable",
    "assigned",
    "put",
    "brought",
    "pulled",
    "charged",
}
GOAL_VERBS = {"needed", "wanted", "aimed", "planned", "promised", "committed", "hoped"}
PRESENT_VERBS = {
    "run", "runs", "take", "takes", "use", "uses", "get", "gets", "know", "see", "try", "make", "ask",
    "check", "write", "start", "keep", "think", "always", "never", "still", "own", "review", "catches",
    "fails", "works", "alerts", "pages", "reads", "loads", "finishes", "lands", "costs", "sits",
}  # fmt: skip
GOAL_PHRASES = (
    "had to", "needed to", "need to", "have to", "the goal", "our goal", "my goal", "the aim", "the ask",
    "was asked to", "were asked to", "been asked to", "been told to", "been tasked", "my task was", "my task is", "my task would", "our task was", "the task was", "my job was", "our job was", "asked me", "asked us", "wanted me", "wanted us", "asking me to", "asks me to", "asking us to", "asks us to", "wants me to", "wants us to", "was on me", "the question i got", "the question we got",
    "fell to me", "landed on me", "my call", "my decision", "landed with me", "fell on me", "ended up with me", "up to me", "my job", "my responsibility", "i was responsible",
    "deadline", "by friday", "by monday", "by the end of", "by end of", "before end of", "before the end of", "in time for", "without breaking",
    "without losing", "without downtime", "without any", "only had", "we had until", "i had until",
    "budget", "requirement", "was supposed to", "were supposed to", "expected to", "the priority",
    "make sure", "so that", "the constraint", "could not afford", "couldn't afford", "could not go down",
    "couldn't go down", "couldn't lose", "had two weeks", "had one week", "had a week", "had three days",
    "had a month", "had until", "in charge of", "volunteered to", "signed up to", "took it on", "my problem", "picked it up", "i picked up", "take it on", "took ownership", "take ownership",
    "took on", "my piece of", "my part of", "my part was", "was for me to", "were for me to", "for me to own", "my piece was", "my role was", "my side of it", "was on the hook", "were on the hook", "needed someone", "nobody owned", "no one owned",
)  # fmt: skip
SETTING_PHRASES = (
    "at the time", "back then", "when i joined", "when i was", "when i started", "when i arrived", "when i first", "i walked into", "i inherited", "heard about",
    "learned about", "found out about", "a few years ago", "years ago", "last year",
    "at my last", "at my previous", "at my current", "in my last", "in my previous", "on my team",
    "our team", "my team", "the company", "a startup", "a bank", "there was", "there were", "used to",
    "early in my career", "in my first job", "every night", "every morning", "every day", "every week", "every month", "for months", "for years",
    "for a while", "at that point", "i worked at", "i was working", "we were running", "in my first",
)  # fmt: skip
OUTCOME_PHRASES = (
    "went from", "went down", "went up", "came down", "dropped", "fell to", "fell from", "down to", "up to",
    "cut", "halved", "doubled", "tripled", "reduced", "saved", "shrank", "sped up", "improved",
    "recovered", "stopped", "disappeared", "no longer", "never again", "since then", "ever since",
    "haven't had", "hasn't had", "haven't seen", "hasn't failed", "hasn't broken", "have not had",
    "zero", "shipped", "delivered", "launched", "went live", "on time", "signed off", "adopted", "promoted", "thanked",
    "praised", "paid off", "closed", "resolved", "finished", "passed", "landed", "rolled out to",
    "the whole org", "every team", "other teams", "now runs", "now takes", "now finishes", "now lands",
    "now catches", "still runs", "still in use", "turned into", "became the",
    "back on track", "on schedule", "met the", "it worked", "was fixed", "got fixed", "hit the", "beat the", "under budget", "lower",
    "faster", "cheaper", "fewer", "less than", "more than", "incidents", "pages",
    "complaints", "tickets", "escalations", "churn", "in the end", "eventually", "ended up",
    "made it", "end up", "ends up", "kept the", "was back", "were back", "accepted", "agreed", "approved", "renewed", "accepts", "accepting",
    "agrees", "approves", "signs off", "was happy", "were happy", "was pleased", "were pleased", "was impressed",
    "were impressed", "was relieved", "were relieved", "happier", "lost no", "no data loss", "nothing was lost",
    "didn't lose", "did not lose", "no downtime", "zero downtime",
    "got the", "never failed", "didn't fail", "did not fail", "nobody noticed", "no one noticed",
)  # fmt: skip
LESSON_PHRASES = (
    "learned", "learnt", "learn from", "i learn that", "i learn to", "mattered more", "matters more", "mattered most",
    "matters most", "made all the difference", "made the difference", "took from it", "took away from it", "i took away", "what i took from", "takeaway", "takeaways", "the point is", "the general point", "in both cases", "what helped was", "in my experience", "in my view", "in my opinion", "the trade-off is", "the tradeoff is", "the worst thing", "the best thing", "the key is", "the trick is", "the rule is", "my rule is", "rule of thumb", "been burned", "got burned", "burned me", "lesson", "taught me", "teaches", "realized", "realised", "in hindsight",
    "looking back", "next time", "these days", "nowadays", "now i always", "since then i", "i always",
    "i now", "i try to", "i make sure", "i've started", "i have started", "differently", "in retrospect",
    "wish i", "if i did it again", "if i had", "if we had", "stuck with me",
    "changed how i", "changed the way i", "i never", "i stopped", "i start", "i ask", "i check",
    "i write", "i push", "i insist", "i default to", "i'd", "i would",
)  # fmt: skip
META_PHRASES = (
    "good question", "great question", "let me think", "so yeah", "yeah so", "that's it", "that's about it",
    "that's the story", "that's my story", "that's pretty much it", "does that make sense", "does that answer",
    "happy to go", "happy to talk", "i can go into", "i can go deeper", "hope that helps", "anyway",
    "let me see", "where was i", "what i'd do", "what i would do", "haven't been in exactly",
    "haven't had exactly", "this one's from", "this one is from", "i'll go with", "i'd go with", "i'm in the middle of",
    "can't tell you how", "here's how i'd", "here's what i'd", "here's how i would", "i've never had", "there's one with", "there's one where", "i've got one", "i have one where", "a pretty standard", "that's my approach", "that's my process", "one example", "an example that comes to mind", "i'll tell you about",
    "i can tell you about", "i'm thinking of", "comes to mind", "want to hear more", "let me describe",
    "let me walk you", "answer it as", "how i would go about", "how i'd go about", "that's how i'd",
    "that's how i would", "the gist", "i'll give you", "let me give you", "can't give you", "i don't think i've had",
    "i don't think i have had", "not sure if this is", "not sure this is", "kind of example you", "sort of example you",
    "what you're looking for", "what you are looking for", "not sure how that", "not sure how it", "not sure how the",
    "don't know how it ended", "don't know how that", "never found out how", "don't have a great example",
    "don't have a good example", "don't have an example", "don't have a perfect example", "not a perfect example",
    "give me a second", "give me a sec", "that's a good one", "jumping around", "i'm rambling", "off track",
    "lost my train", "i'll use an example", "let me use an example", "an example from my", "haven't been in that",
    "haven't been in this", "never been in that", "i'll pick this", "i'll pick the", "i'd pick the", "i'd pick this", "one i'd pick", "one i'll pick",
)  # fmt: skip
# a sentence opening that points back at what was just told ("Anyway, this was my part of it."): no beat
POINTING_BACK = (
    "this was my part", "that was my part", "this is my part", "that's my part", "this was my piece",
    "that was my piece", "that was my side", "that was our part", "that's what i did", "that was what i did",
    "that's what we did",
)  # fmt: skip
# words that make a very short sentence carry content ("It worked." is a result, "Yeah." is not)
CONTENT_HINTS = {"worked", "failed", "broke", "shipped", "nothing", "zero", "everything", "nobody", "fixed"}
SEQUENCE_STARTS = {
    "first",
    "then",
    "next",
    "afterwards",
    "after",
    "finally",
    "once",
    "meanwhile",
    "second",
    "third",
    "lastly",
}
SEQUENCE_PAIRS = {
    " after that ",
    " from there ",
    " the next ",
    " that week ",
    " that night ",
    " that afternoon ",
}

# -- design answers (recordings/design.py): the words each part of a design answer uses ------------------
# trade-off language, said or not ("cheaper but", "we give up", "instead of"): design and model answers alike
DESIGN_TRADEOFFS = (
    "trade-off", "tradeoff", "trade off", "trade-offs", "tradeoffs", "instead of", "rather than",
    "at the cost of", "the downside", "downside", "the cost is", "versus", "vs", "cheaper but",
    "simpler but", "but we lose", "we give up", "give up", "i chose", "i'd choose", "i would choose",
    "i picked", "i'd pick", "because it", "the price", "worth it", "not worth", "on the other hand",
    "alternatively", "the alternative", "compared to", "over kafka", "over spark", "pros", "cons",
    "we accept", "in exchange for", "at the expense of", "costs us", "we'd pay", "we pay for",
)  # fmt: skip
DESIGN_PARTS: dict[str, tuple[str, ...]] = {
    "requirements": (
        "requirement", "requirements", "functional", "non-functional", "need to support", "needs to",
        "we need", "they need", "within", "has to", "have to", "expect", "expects", "available",
        "should support", "must", "users", "use case", "use cases", "clarify", "assume", "assuming",
        "assumption", "assumptions", "scope", "sla", "slo", "freshness", "consumers", "the ask", "goal", "out of scope",
        "read pattern", "access pattern", "who reads", "query patterns", "i'd ask", "i would ask",
        "want to know", "ask whether", "promised",
    ),
    "architecture": (
        "kafka", "kinesis", "pubsub", "spark", "flink", "airflow", "dbt", "warehouse", "lake", "lakehouse",
        "s3", "gcs", "bigquery", "snowflake", "redshift", "postgres", "iceberg", "delta", "parquet",
        "ingest", "ingestion", "producer", "producers", "consumer", "topic", "topics", "stream",
        "streaming", "batch", "layer", "bronze", "silver", "gold", "staging", "api", "service",
        "orchestrator", "scheduler", "cdc", "debezium", "sink", "source", "dag", "pipeline", "transform",
        "land", "lands", "write", "writes", "read", "reads", "table", "tables", "schema", "model",
        "encryption", "encrypted", "tokenization", "tokenizes", "tokenized", "kms", "iam", "vault", "masking",
        "masked", "access control",
    ),
    "scale": (
        "scale", "scales", "scaling", "throughput", "per second", "a second", "a day", "per day", "an hour",
        "per hour", "peak", "volume", "partition", "partitions", "partitioned", "partitioning", "shard",
        "sharding", "shards", "million", "billion", "thousand", "tb", "gb", "pb", "terabytes", "gigabytes",
        "petabytes", "qps", "rps", "grow", "grows", "growth", "horizontal", "horizontally", "skew", "hot",
        "latency", "parallel", "parallelism", "executors", "nodes", "workers", "autoscaling", "cost",
    ),
    "reliability": (
        "retry", "retries", "idempotent", "idempotency", "exactly once", "at least once", "dedupe",
        "deduplicate", "duplicates", "replay", "replayed", "backfill", "checkpoint", "checkpoints",
        "failure", "failures", "fails", "fail", "outage", "monitoring", "alert", "alerts", "alerting",
        "dead letter", "dead-letter", "replica", "replicas", "replication", "failover", "recovery",
        "backup", "data quality", "quality checks", "tests", "lineage", "late data", "late events",
        "watermark", "watermarks", "on-call", "rollback", "roll back", "validation", "contract",
        "reliability", "reliable", "unavailable", "goes down", "is down", "rerun", "restart", "restarts",
        "restores", "buffers", "durable", "durability", "high availability", "fallback", "falls behind",
        "degrade", "degrades", "dies", "crashes", "lag", "pages", "is safe", "are safe", "rebuild",
        "guardrails", "quotas", "harmless", "falls back", "fall back", "fail open", "fails open", "fail closed",
        "fails closed", "degraded", "canary", "shadow", "failover", "standby", "failed", "monitor",
        "monitors", "monitored", "reconcile", "reconciles", "reconciled", "reconciliation", "quarantine",
        "quarantined", "is missing", "are missing",
    ),
    "tradeoffs": DESIGN_TRADEOFFS,
}  # fmt: skip
# a sentence that opens by naming its part ("Requirements: …", "For reliability, …") is in that part,
# whatever else it names: the speaker is signposting (looked for in a sentence's first five words)
DESIGN_SIGNPOSTS: dict[str, tuple[str, ...]] = {
    "requirements": (
        "requirements", "requirement", "assumptions", "assumption", "constraints", "clarify", "goal", "goals",
    ),
    "architecture": ("architecture", "design", "plan", "components"),
    "scale": ("scale", "volume", "sizing", "capacity", "quantify", "estimate", "estimates", "numbers"),
    "reliability": ("reliability", "failures", "failure", "durability", "availability", "guardrails"),
    "tradeoffs": ("trade-off", "trade-offs", "tradeoff", "tradeoffs", "downside", "downsides"),
}  # fmt: skip
# how often a job runs is not a volume: "once a day" says no more about scale than "nightly"
FREQUENCIES = ("once a day", "twice a day", "once an hour", "once a night", "once a week", "once a month")
# a data model's parts (recordings/design.py, structure "model"): its grain, entities and keys, facts and
# dimensions, history, partitioning and access, and the choices weighed. Column names are read by shape too
# ("rider_key", "fct_trip", "dim_city": recordings/design.py `_shapes`)
MODEL_PARTS: dict[str, tuple[str, ...]] = {
    "grain": (
        "grain", "granularity", "grained", "one row per", "a row per", "one row for each", "each row is",
        "each row represents", "one record per", "one line per", "one entry per", "lowest level",
        "most granular", "atomic level",
    ),
    "keys": (
        "key", "keys", "surrogate", "surrogate key", "natural key", "primary key", "foreign key",
        "business key", "composite key", "unique", "uniqueness", "identifier", "id", "ids", "entity",
        "entities", "relationship", "one-to-many", "many-to-many", "bridge", "degenerate", "references",
        "key column",
    ),
    "facts": (
        "fact", "facts", "fact table", "fact tables", "measure", "measures", "dimension", "dimensions",
        "attribute", "attributes", "additive", "semi-additive", "non-additive", "amount", "amounts",
        "quantity", "quantities",
        "conformed", "star schema", "snowflake", "denormalized", "factless", "accumulating snapshot",
        "periodic snapshot", "transaction fact", "fact column", "dimension table",
    ),
    "history": (
        "scd", "scd2", "scd1", "type 2", "type-2", "type 1", "slowly changing", "valid_from", "valid_to",
        "valid from", "valid to", "is_current", "effective date", "effective", "version", "versions",
        "versioned", "history", "historical", "as-was", "as was", "as-is", "point-in-time", "point in time",
        "snapshot", "snapshots", "append-only", "append only", "restatement", "restated", "reversing",
        "changes over time", "over time",
    ),
    # what keeps the tables right while they load: invariants tested, duplicates and late rows handled
    "tests": (
        "test", "tests", "tested", "invariant", "invariants", "check", "checks", "data quality", "dedupe",
        "deduped", "deduplicate", "deduplicated", "deduplication", "duplicates", "idempotent", "idempotency",
        "reconcile", "reconciled", "reconciles", "reconciliation", "late-arriving", "late arriving",
        "late events", "late data", "late rows", "lookback", "reprocess", "reprocesses", "reprocessing",
        "validate", "validation", "sum to zero", "sums to zero",
    ),
    "access": (
        "partition", "partitioned", "partitioning", "cluster", "clustered", "clustering", "sort key",
        "sorted by", "index", "indexes", "indexed", "query", "queries", "queried", "dashboard",
        "dashboards", "analysts", "report", "reports", "reporting", "access pattern", "access patterns",
        "pre-aggregated", "aggregate", "aggregates", "rollup", "materialized", "semantic layer",
        "metrics layer", "rows per day", "rows a day", "columnar", "z-order", "bucketing", "bucketed",
        "serving", "filter by", "filters on",
    ),
    "tradeoffs": (
        *DESIGN_TRADEOFFS, "the rule", "rule is", "by rule", "counted in", "counted as", "counts as",
        "defined as", "we define", "definition", "say which", "we decide", "decided", "prefer", "choose",
        "either", "instead", "rather", "option", "alternative",
    ),
}  # fmt: skip
MODEL_SIGNPOSTS: dict[str, tuple[str, ...]] = {
    "grain": ("grain", "granularity"),
    "keys": ("keys", "key", "entities", "identifiers"),
    "facts": ("facts", "fact", "measures", "dimensions", "attributes"),
    "history": ("history", "scd", "scd2", "versioning", "changes"),
    "tests": ("tests", "invariants", "checks", "quality", "correctness"),
    "access": ("partitioning", "access", "queries", "serving", "performance", "clustering", "storage"),
    "tradeoffs": ("trade-off", "trade-offs", "tradeoff", "tradeoffs", "downside", "downsides", "rules", "rule"),
}  # fmt: skip
# a model card expects its physical layout only when its own answer or checklist gives one
MODEL_LAYOUT = (
    "partition", "partitioned", "partitioning", "cluster", "clustered", "clustering", "sort key", "index",
    "indexes", "z-order", "bucketing", "bucketed", "distribution key",
)  # fmt: skip
# a design card that asks for a data model (recordings/design.py `frame`): words of its title or prompt
MODEL_CUES = (
    "grain", "fact table", "fact tables", "facts", "dimension table", "dimension tables", "dimensions",
    "dimensional", "star schema", "snowflake schema", "scd", "slowly changing", "surrogate key",
    "surrogate keys", "data model", "the tables", "which tables", "entities", "erd", "schema for",
    "design the schema", "design a schema", "model the", "model a", "model an", "model subscriptions",
    "model inventory", "give the model", "the data model",
)  # fmt: skip
# what a design card's prompt asks (recordings/design.py `frame`): a whole design is asked with one of these
# verbs ("Design a …", "how would you build …", "Plan the backfill"); any other prompt is a sub-question
WHOLE_DESIGN_VERBS = frozenset({"design", "build", "architect", "plan", "replicate", "migrate", "draw"})
WHOLE_DESIGN_PHRASES = (
    "end-to-end architecture",
    "end to end architecture",
    "lay out a",
    "an architecture for",
    "the design of",
    "your design",
    "a design for",
)
# a sub-question's asks: an estimate expects the sizing, a choice the trade-offs
ESTIMATE_ASKS = (
    "work out", "size the", "sizing", "estimate", "calculate", "how much", "how many", "quantify", "add it up",
    "arithmetic",
)  # fmt: skip
CHOICE_ASKS = (
    "decide", "choose", "choice", "which", "trade-off", "trade-offs", "tradeoff", "tradeoffs", "versus", "vs",
    "pros and cons", "compare",
)  # fmt: skip
MODEL_TAGS = frozenset(
    {"modeling", "modelling", "data-modeling", "data-modelling", "dimensional", "scd", "scd2", "star-schema",
     "kimball", "data-vault", "schema-design", "grain", "facts", "keys"}
)  # fmt: skip
# "cheaper but slower", "simpler to run, but more expensive", "costs memory, but": a gain weighed against
# a cost with "but" is a trade-off even when the word is never said
TRADEOFF_WEIGHTS = {
    "cheaper", "simpler", "faster", "slower", "easier", "harder", "costlier", "expensive", "more", "less",
    "fewer", "lower", "higher", "costs", "cost", "adds", "pay", "lose", "loses", "gives", "gain",
    "simple", "cheap", "fast", "slow", "easy", "hard", "costly", "safer", "riskier", "doubles", "triples",
    "halve", "halves", "saves", "save", "compete", "competes",
}  # fmt: skip
# data sizes and rates: a design answer's units ("500 bytes", "2 TiB", "50,000 TPS")
SIZE_UNITS = {
    "b": "B", "byte": "B", "bytes": "B", "kilobyte": "KB", "kilobytes": "KB", "megabyte": "MB",
    "gigabyte": "GB", "terabyte": "TB", "petabyte": "PB", "kib": "KiB", "mib": "MiB", "gib": "GiB",
    "tib": "TiB", "pib": "PiB", "kibibytes": "KiB", "mebibytes": "MiB", "gibibytes": "GiB",
    "tebibytes": "TiB", "tebibyte": "TiB", "pebibytes": "PiB", "tps": "TPS", "qps": "QPS", "rps": "RPS",
    "s": "s", "vcpus": "vCPUs", "cores": "cores",
}  # fmt: skip
# a rate describes how things usually were ("two hundred a day"): the scene more than an outcome
HABITUAL_PHRASES = (
    "a day",
    "a week",
    "a month",
    "a night",
    "an hour",
    "every day",
    "every night",
    "every week",
    "each night",
    "each day",
    "per day",
)
# changes measured without a digit: "doubled", "halved", "twice as fast"
MULTIPLIERS = {"doubled", "halved", "tripled", "quadrupled", "twice", "half", "tenfold", "x"}
RATE_UNITS = {
    "second",
    "minute",
    "hour",
    "day",
    "night",
    "week",
    "month",
    "quarter",
    "year",
    "run",
    "release",
}
FRACTIONS = {"third", "thirds", "quarter", "quarters", "fifth", "tenth", "tenths", "hundredth"}
# plural words after a number that do not make it a count of outcomes ("two of us", "three times")
NOT_COUNTED = {"this", "was", "has", "is", "does", "goes", "says", "us", "ours", "yours", "theirs", "its"}
# how one usually works (a habit answer is not a story)
ROUTINE_PHRASES = (
    "usually", "typically", "normally", "generally", "whenever", "always", "my go-to", "go-to", "every time", "routine", "my approach",
    "my process", "the first thing i do", "first thing i do", "i tend to", "what i do is", "what i usually",
    "in general", "as a rule",
)  # fmt: skip
# lesson phrases that, in an answer told as what one would do or usually does, are just its steps
STEP_LESSONS = frozenset(
    {"i'd", "i would", "i always", "i now", "i try to", "i make sure", "i start", "i ask", "i check", "i write",
     "i push", "i insist", "i default to", "i never"}
)  # fmt: skip
# words right after "I"/"we" that are not a present-tense verb
NOT_A_VERB = frozenset(
    {"once", "and", "or", "but", "both", "all", "together", "as", "in", "at", "on", "to", "who", "that"}
)
# a pronoun with "be" in the present: with no -ing after it, a description ("I'm on the platform team")
BE_NOW = frozenset({"i'm", "we're", "they're", "she's", "he's"})
# words that soften a number ("about two weeks") and are skipped when reading what comes before it
APPROXIMATELY = frozenset(
    {"about", "around", "roughly", "like", "nearly", "almost", "maybe", "some", "a", "an", "just"}
)
SPENT_FOR = frozenset({"for", "over", "spent", "spend", "spending", "during", "throughout"})
DURATIONS = frozenset(
    {"second", "seconds", "minute", "minutes", "hour", "hours", "day", "days", "week", "weeks", "month", "months", "year", "years",
     "sprint", "sprints", "quarter", "quarters", "half", "min", "mins", "h"}
)  # fmt: skip
# spoken openers skipped when reading how a sentence starts ("and so by morning…")
OPENERS = frozenset({"and", "so", "then", "um", "uh", "okay", "ok", "well", "like", "yeah", "right", "but"})
# "-ed" words read as adjectives elsewhere ("was asked to") but as a deed right after a subject ("I asked him")
ED_AFTER_SUBJECT = frozenset(
    {"asked", "allowed", "assigned", "scheduled", "shared", "partitioned", "automated", "distributed", "embedded",
     "mixed", "hardcoded", "hard-coded", "detailed", "limited"}
)  # fmt: skip
# past participles that do not end in -ed ("had run", "had written")
PARTICIPLES = frozenset(
    {"run", "done", "seen", "written", "built", "gone", "taken", "given", "made", "been", "known", "shown", "told",
     "heard", "found", "kept", "left", "lost", "sent", "spent", "thought", "brought", "bought", "won", "set", "put"}
)  # fmt: skip
# what follows a number that is a time of day ("6 am", "7 pm")
CLOCK = frozenset({"am", "pm", "a.m", "p.m", "o'clock"})
# what a thing done is said with, before how much earlier it came ("finished three hours earlier")
DONE_WORDS = frozenset(
    {
        "finished",
        "finishes",
        "ready",
        "done",
        "landed",
        "lands",
        "arrived",
        "arrives",
        "shipped",
        "closed",
        "delivered",
    }
)
# delivering a whole piece of work: "shipped it seven weeks later" says how long it took
DELIVERED = frozenset({"shipped", "delivered", "launched", "released"})
# what went wrong by my own hand: the scene of a failure story
MISTAKE = (
    r" (accidentally|by mistake|by accident|the wrong (environment|table|database|cluster|branch|date|file)|"
    r"without (telling|testing|checking|asking|warning)|forgot to|(didn't|did not|never) (test|check|tell|ask)) "
)
# names followed by a version number, not an amount ("Spark 3.5", "Python 3")
VERSIONED = frozenset(
    {"spark", "python", "java", "scala", "postgres", "postgresql", "mysql", "airflow", "kafka", "hadoop", "hive",
     "version", "v", "release", "node", "dbt", "ubuntu", "iceberg", "delta", "flink", "pandas", "jdk"}
)  # fmt: skip
# the first word of a typed note that names what the line is
NOTE_GOALS = frozenset({"goal", "aim", "objective", "constraint", "deadline", "mandate", "ask"})
NOTE_SCENES = frozenset({"context", "background", "setup", "setting"})
# a typed note's label and the beat it names ("Situation: …", "Result: …", "Takeaway: …")
NOTE_LABELS = {
    **dict.fromkeys(("situation", "context", "background"), "situation"),
    **dict.fromkeys(("task", "goal", "objective", "mandate"), "task"),
    **dict.fromkeys(("action", "actions", "approach", "steps"), "action"),
    **dict.fromkeys(("result", "results", "outcome", "impact"), "result"),
    **dict.fromkeys(("lesson", "lessons", "learnings", "takeaway", "reflection"), "reflection"),
}
# words after a label word that show it is the sentence's subject, not a label ("Results were mixed")
NOT_AFTER_LABEL = frozenset(
    {
        "was",
        "were",
        "is",
        "are",
        "got",
        "had",
        "has",
        "went",
        "came",
        "of",
        "from",
        "for",
        "that",
        "learned",
        "here",
        "matters",
        "matter",
        "showed",
        "shows",
    }
)
TIME_WORDS = frozenset(
    {"day", "morning", "afternoon", "evening", "night", "week", "month", "sprint", "quarter", "year"}
)
WEEKDAYS = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "weekend"}
)
# past forms that are also the bare verb: "I'd set up a call" is "I would", "I'd built it" is "I had"
BASE_LIKE_PAST = frozenset(
    {"set", "put", "cut", "split", "let", "read", "shut", "run", "cost", "hit", "quit", "spread", "beat", "come",
     "become", "hurt", "bet"}
)  # fmt: skip
# words that open a subordinate clause: its subject is not the sentence's ("When she broke it, I sat with her")
SUBORDINATORS = frozenset(
    {"when", "after", "once", "because", "while", "before", "until", "since", "as", "if", "unless", "which",
     "who", "that", "whenever", "though", "although", "whether"}
)  # fmt: skip
# words that, in an answer's short first sentence, show the speaker choosing a story ("Failure, okay, …")
ASIDES = frozenset({"okay", "ok", "hmm", "sure", "alright"})
# subjects of a claim about how things go in general ("I think people learn more from…")
GENERIC = frozenset(
    {"people", "teams", "engineers", "you", "everyone", "nobody", "most", "managers", "juniors"}
)
# words ending in -s that open a sentence without being a plural subject in general ("Tuesdays", "thanks")
NOT_GENERIC = frozenset(
    {"thanks", "sometimes", "perhaps", "towards", "besides", "afterwards", "nowadays", "always"}
)
# -ing words that open a sentence without being its subject
NOT_GERUNDS = frozenset(
    {
        "during",
        "according",
        "including",
        "regarding",
        "following",
        "something",
        "nothing",
        "everything",
        "anything",
        "morning",
        "evening",
    }
)
# taking a piece of work on oneself: the task, unless the same sentence goes on to do it
TAKING_ON = ("picked it up", "i picked up", "took it on", "took on", "volunteered to", "took ownership")
# meta phrases that are spoken openers: meta only when little else is said after them
OPENING_META = frozenset({"so yeah", "yeah so", "anyway"})
