"""clearance: export-control compliance as effective-dated, cited law-as-data.

The public API is small: load the regulation packs, then ask for a determination.

    >>> from clearance import load_regulations, determine, Shipment
"""

from clearance.engine import Determination, Shipment, determine
from clearance.errors import ClearanceError
from clearance.law import Regulations, load_pack, load_regulations

__all__ = [
    "ClearanceError",
    "Determination",
    "Regulations",
    "Shipment",
    "determine",
    "load_pack",
    "load_regulations",
]
__version__ = "0.1.0"
