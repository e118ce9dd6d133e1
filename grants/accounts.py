"""How grants name the ledger accounts they own, for the services that make them and the selectors that read them."""


def grants_received_code(party_id: int, currency: str) -> str:
    """The code of a party's account of grants received in ``currency``."""
    return f"GR-{party_id}-{currency}"
