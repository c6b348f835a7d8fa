"""Till exports for the receipt import tests."""

from __future__ import annotations

HEADER = "receipt_number,sold_at,sku,title,quantity,unit_price,email,phone,loyalty_card,name,currency"
# (line number in the file, the broken row, the reason we expect to read)
BAD = {
    101: ("R00033,2026-11-01 10:00,JKT-1,Regenjas,een,89.95,klant33@example.nl,,,,EUR", "quantity"),
    502: ("R00167,gisteren,SCF-2,Sjaal,1,39.95,klant167@example.nl,,,,EUR", "sold_at"),
    903: ("R00301,2026-11-01 10:00,SCF-2,Sjaal,1,39.95,geen-email,,,,EUR", "email"),
}


def receipts_csv(rows: int = 1000) -> str:
    """`rows` data rows, three receipt lines per receipt, three of them broken (see BAD)."""
    lines = [HEADER]
    for i in range(rows):
        line_number = len(lines) + 1
        if line_number in BAD:
            lines.append(BAD[line_number][0])
            continue
        receipt = i // 3
        contact = f"klant{receipt}@example.nl,," if receipt % 2 else f",06 {10000000 + receipt},"
        lines.append(
            f"R{receipt:05d},2026-11-01 10:{receipt % 60:02d},SKU-{i % 7},Artikel {i % 7},"
            f"{1 + i % 2},{(i % 50) + 0.95:.2f},{contact},Klant {receipt},EUR"
        )
    return "\n".join(lines) + "\n"
