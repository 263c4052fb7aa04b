"""Watchlists: each user's own lists; another user's answers 404."""

import pytest

from invsim.core.errors import Conflict, NotFound, ValidationFailed
from invsim.market import service
from tests import factories


def new_user():
    return factories.new_user("watcher")


@pytest.fixture()
def alice(ctx):
    return new_user()


def symbols_of(watchlist):
    return [item.symbol for item in watchlist.items]


def test_create_list_rename_and_delete_a_watchlist(alice):
    created = service.create_watchlist(user_id=alice.id, name="Tech", symbols=["aapl", "MSFT"])
    assert symbols_of(created) == ["AAPL", "MSFT"]
    assert [w.name for w in service.list_watchlists(user_id=alice.id)] == ["Tech"]
    renamed = service.rename_watchlist(user_id=alice.id, watchlist_id=created.id, name="Big tech")
    assert service.get_watchlist(user_id=alice.id, watchlist_id=created.id).name == renamed.name
    service.delete_watchlist(user_id=alice.id, watchlist_id=created.id)
    assert service.list_watchlists(user_id=alice.id) == []


def test_add_and_remove_symbols_keep_their_order(alice):
    watchlist = service.create_watchlist(user_id=alice.id, name="Mine")
    for symbol in ("spy", "QQQ", "AAPL", "spy"):
        watchlist = service.add_symbol(user_id=alice.id, watchlist_id=watchlist.id, symbol=symbol)
    assert symbols_of(watchlist) == ["SPY", "QQQ", "AAPL"]
    watchlist = service.remove_symbol(user_id=alice.id, watchlist_id=watchlist.id, symbol="qqq")
    assert symbols_of(service.get_watchlist(user_id=alice.id, watchlist_id=watchlist.id)) == \
        ["SPY", "AAPL"]
    with pytest.raises(NotFound) as raised:
        service.remove_symbol(user_id=alice.id, watchlist_id=watchlist.id, symbol="QQQ")
    assert raised.value.code == "symbol_not_in_watchlist"


def test_another_users_watchlist_is_not_found(alice):
    watchlist = service.create_watchlist(user_id=alice.id, name="Private", symbols=["AAPL"])
    bob = new_user()
    for action in (
        lambda: service.get_watchlist(user_id=bob.id, watchlist_id=watchlist.id),
        lambda: service.rename_watchlist(user_id=bob.id, watchlist_id=watchlist.id, name="x"),
        lambda: service.delete_watchlist(user_id=bob.id, watchlist_id=watchlist.id),
        lambda: service.add_symbol(user_id=bob.id, watchlist_id=watchlist.id, symbol="MSFT"),
        lambda: service.remove_symbol(user_id=bob.id, watchlist_id=watchlist.id, symbol="AAPL"),
    ):
        with pytest.raises(NotFound) as raised:
            action()
        assert raised.value.code == "watchlist_not_found"
    assert service.list_watchlists(user_id=bob.id) == []
    assert symbols_of(service.get_watchlist(user_id=alice.id, watchlist_id=watchlist.id)) == \
        ["AAPL"]


def test_names_are_unique_per_user_only(alice):
    service.create_watchlist(user_id=alice.id, name="Core")
    with pytest.raises(Conflict):
        service.create_watchlist(user_id=alice.id, name="Core")
    other = service.create_watchlist(user_id=alice.id, name="Other")
    with pytest.raises(Conflict):
        service.rename_watchlist(user_id=alice.id, watchlist_id=other.id, name="Core")
    service.create_watchlist(user_id=new_user().id, name="Core")


def test_unknown_or_invalid_symbols_are_refused_and_nothing_is_written(alice):
    with pytest.raises(NotFound):
        service.create_watchlist(user_id=alice.id, name="Bad", symbols=["AAPL", "ZZZZ"])
    with pytest.raises(ValidationFailed):
        service.create_watchlist(user_id=alice.id, name="Bad", symbols=["../etc"])
    assert service.list_watchlists(user_id=alice.id) == []
    watchlist = service.create_watchlist(user_id=alice.id, name="Good")
    with pytest.raises(NotFound):
        service.add_symbol(user_id=alice.id, watchlist_id=watchlist.id, symbol="ZZZZ")


def test_huge_or_negative_ids_are_simply_not_found(alice):
    for watchlist_id in (0, -1, 2**40):
        with pytest.raises(NotFound):
            service.get_watchlist(user_id=alice.id, watchlist_id=watchlist_id)


def test_watchlist_symbols_lists_the_most_watched_first(alice):
    service.create_watchlist(user_id=alice.id, name="A", symbols=["MSFT", "AAPL"])
    service.create_watchlist(user_id=new_user().id, name="B", symbols=["AAPL"])
    assert service.watchlist_symbols() == ["AAPL", "MSFT"]


@pytest.mark.parametrize("name", ["", "   ", "x" * 65, "bad\x00name"])
def test_bad_names_are_refused(alice, name):
    with pytest.raises(ValidationFailed) as raised:
        service.create_watchlist(user_id=alice.id, name=name)
    assert raised.value.code == "invalid_name"
