"""The Talent Pool's view in the URL's query string: what is read back, and what is ignored."""

from frontend.talent_pool.states.pool_url import PoolView, view_from_query


def test_parse_pool_url_round_trip() -> None:
    view = PoolView(
        query="amélie & co",
        statuses=("active", "invited"),
        tags=("ux research", "c++"),
        worked_before=True,
        email_failed=True,
        sort="-last_activity_at",
        page=3,
        page_size=50,
    )
    path = view.to_path()
    assert path.startswith("/?q=am%C3%A9lie+%26+co&status=active&status=invited&tag=ux+research&tag=c%2B%2B")
    assert view_from_query(path.removeprefix("/?")) == view


def test_parse_pool_url_defaults_left_out() -> None:
    assert PoolView().to_path() == "/"
    assert view_from_query("") == PoolView()


def test_parse_pool_url_hostile_values_fall_back() -> None:
    query = (
        "q=" + "x" * 500 + "%00&status=owner&status=active&status=active&sort=password&page=-1"
        "&size=100000&worked_before=yes&tag=" + "t" * 101 + "&tag=%20&tag=go&tag=go"
    )
    view = view_from_query(query)
    assert view.query == "x" * 200
    assert view.statuses == ("active",)
    assert view.tags == ("go",)
    assert (view.sort, view.page, view.page_size, view.worked_before) == ("name", 1, 25, False)
    assert view_from_query("page=99999999999999999999").page == 1
    assert view_from_query("page=٣").page == 1
