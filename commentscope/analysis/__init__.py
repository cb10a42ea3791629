"""Pure analyses of a comments frame: DataFrame (and article metadata) in, DataFrame or dict out.

Nothing here prints; ``cli`` calls these and ``render`` shows what they return.
"""

from commentscope.analysis.check import check_rows, check_thread
from commentscope.analysis.commenters import COMMENTER_COLUMNS, commenter_table
from commentscope.analysis.hypergraph import HYPERGRAPH_GROUPS, hypergraph_features
from commentscope.analysis.network import NETWORK_SCHEMA, reciprocity, reply_network
from commentscope.analysis.sentiment import (
    MissingExtra,
    comment_sentiment,
    sentiment_by_commenter,
    sentiment_by_subthread,
    sentiment_summary,
)
from commentscope.analysis.stats import (
    STATS_GROUPS,
    TOTAL_SOURCE,
    corpus_totals,
    h_index,
    page_stats,
    structural_virality,
    thread_stats,
)
from commentscope.analysis.threads import SUBTHREAD_SCHEMA, subthread_table
from commentscope.analysis.timeline import FREQUENCIES, TIMELINE_COLUMNS, timeline
from commentscope.analysis.tree import json_nesting, reply_forest, reply_tree, tree_rows

__all__ = [
    "COMMENTER_COLUMNS",
    "FREQUENCIES",
    "HYPERGRAPH_GROUPS",
    "NETWORK_SCHEMA",
    "STATS_GROUPS",
    "SUBTHREAD_SCHEMA",
    "TIMELINE_COLUMNS",
    "TOTAL_SOURCE",
    "MissingExtra",
    "check_rows",
    "check_thread",
    "comment_sentiment",
    "commenter_table",
    "corpus_totals",
    "h_index",
    "hypergraph_features",
    "json_nesting",
    "page_stats",
    "reciprocity",
    "reply_forest",
    "reply_network",
    "reply_tree",
    "sentiment_by_commenter",
    "sentiment_by_subthread",
    "sentiment_summary",
    "structural_virality",
    "subthread_table",
    "thread_stats",
    "timeline",
    "tree_rows",
]
