"""Applications of ``order_fulfilment.xpdl``: a tiny stock table and invoice numbering.

Bind them to a run with ``wfengine run examples/order_fulfilment.xpdl --apps
examples/order_fulfilment_apps.py --set order_id=A-100 --set customer=ada --set amount=250``.
A real deployment registers calls to the ERP and billing systems under the same ids; the
formal parameter ids of each XPDL Application are the keyword arguments and result keys.
"""

from __future__ import annotations

import itertools
import sys

from wfengine import ApplicationRegistry

#: order number -> whether its goods are in stock (order numbers not listed are not)
STOCK = {"A-100": True, "A-101": True, "B-200": False}
_invoice_numbers = itertools.count(1001)


def check_stock(stock_order: str | None) -> dict[str, bool]:
    return {"stock_available": STOCK.get(stock_order or "", False)}


def create_invoice(invoice_order: str | None, invoice_amount: float) -> dict[str, str]:
    number = f"INV-{next(_invoice_numbers)}"
    print(f"invoice {number}: order {invoice_order}, {invoice_amount:.2f}", file=sys.stderr)
    return {"invoice_number": number}


def notify_backorder(backorder_customer: str | None, backorder_order: str | None) -> None:
    print(f"to {backorder_customer}: order {backorder_order} is back-ordered", file=sys.stderr)


def register(registry: ApplicationRegistry) -> None:
    registry.register("check_stock", check_stock)
    registry.register("create_invoice", create_invoice, retries=2, timeout=10)
    registry.register("notify_backorder", notify_backorder)
