"""Pure analyses of a comments frame: DataFrame (and article metadata) in, DataFrame or dict out.

Nothing here prints; ``cli`` calls these and ``render`` shows what they return.
"""

from commentscope.analysis.stats import STATS_GROUPS, h_index, structural_virality, thread_stats
from commentscope.analysis.tree import reply_tree, tree_rows

__all__ = [
    "STATS_GROUPS",
    "h_index",
    "reply_tree",
    "structural_virality",
    "thread_stats",
    "tree_rows",
]
