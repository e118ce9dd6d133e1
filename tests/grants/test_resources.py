from grants.resources import GrantResource


def test_grant_export_has_one_column_per_budget_line(db):
    headers = GrantResource().export().headers
    assert headers[:3] == ["programme", "exercice", "partenaire"]
    assert "budget salaires" in headers and "budget activités" in headers
