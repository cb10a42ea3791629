import pandas as pd

from commentscope.analysis import NETWORK_SCHEMA, reciprocity, reply_network


def edges(frame: pd.DataFrame) -> list[tuple]:
    return list(frame.itertuples(index=False, name=None))


def test_small_thread(small):
    # 1.1 Bob->Ann, 1.1.1 Ann->Bob, 1.2 Cat->Ann; 1.1.2 and 2.1 involve anonymous comments
    network = reply_network(small)
    assert edges(network) == [("Ann", "Bob", 1), ("Bob", "Ann", 1), ("Cat", "Ann", 1)]
    assert {name: str(dtype) for name, dtype in network.dtypes.items()} == NETWORK_SCHEMA
    # pairs {Ann, Bob} (both ways) and {Ann, Cat} (one way)
    assert reciprocity(network) == 0.5


def test_counts_sorting_and_self_replies(build):
    frame = build(
        [
            ("1", None, "Zoe", None, "x"),
            ("1.1", "1", "Yan", None, "x"),
            ("1.2", "1", "Yan", None, "x"),
            ("1.2.1", "1.2", "Yan", None, "x"),  # Yan answers Yan
            ("1.3", "1", "Abe", None, "x"),
            ("1.3.1", "1.3", "Zoe", None, "x"),
        ]
    )
    network = reply_network(frame)
    assert edges(network) == [("Yan", "Zoe", 2), ("Abe", "Zoe", 1), ("Yan", "Yan", 1), ("Zoe", "Abe", 1)]
    # pairs {Yan, Zoe} one way, {Abe, Zoe} both ways; the self-reply is not a pair
    assert reciprocity(network) == 0.5


def test_reciprocity_edge_cases():
    def net(*pairs):
        return pd.DataFrame(pairs, columns=["source", "target", "replies"])

    assert reciprocity(net()) is None
    assert reciprocity(net(("A", "A", 3))) is None
    assert reciprocity(net(("A", "B", 1))) == 0.0
    assert reciprocity(net(("A", "B", 1), ("B", "A", 5))) == 1.0
    assert reciprocity(net(("A", "B", 1), ("B", "A", 1), ("A", "C", 1), ("C", "D", 1))) == round(1 / 3, 4)


def test_empty_and_anonymous_only(build):
    for frame in (build([]), build([("1", None, None, None, "x"), ("1.1", "1", "Ann", None, "x")])):
        network = reply_network(frame)
        assert network.empty
        assert {name: str(dtype) for name, dtype in network.dtypes.items()} == NETWORK_SCHEMA
        assert reciprocity(network) is None


def test_corpus_joins_parents_within_a_page(corpus):
    frame = corpus(
        {
            "a": [("1", None, "Ann", None, "x"), ("1.1", "1", "Bob", None, "x")],
            "b": [("1", None, "Cat", None, "x"), ("1.1", "1", "Bob", None, "x"), ("2", None, "Ann", None, "x")],
        }
    )
    assert edges(reply_network(frame)) == [("Bob", "Ann", 1), ("Bob", "Cat", 1)]
