"""The determination engine: shipment facts + regulations -> an explained Determination."""

from clearance.engine.determine import determine
from clearance.engine.result import Citation, Determination, LicenceOption, Step, ValueUsed
from clearance.engine.shipment import Item, Party, Shipment

__all__ = [
    "Citation",
    "Determination",
    "Item",
    "LicenceOption",
    "Party",
    "Shipment",
    "Step",
    "ValueUsed",
    "determine",
]
