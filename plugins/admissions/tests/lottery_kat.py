#!/usr/bin/env python3
"""Independent implementation of gongkai-lottery/1 (LOTTERY.md), written from the
specification only. Prints the known-answer vector pasted into tests/lottery.rs:
    python3 plugins/admissions/tests/lottery_kat.py"""
import hashlib, struct

V = "gongkai-lottery/1"
s = lambda x: struct.pack(">I", len(x.encode())) + x.encode()
u32 = lambda n: struct.pack(">I", n)

constraints = ["sex", "category"]
classes = [("一班", 4), ("二班", 4), ("三班", 3)]
students = [("S%02d" % i, ["F" if i % 2 else "M", "A" if i % 3 else "B"]) for i in range(1, 12)]
secret, source, value = "agency-secret-2026-k7Qm", "双色球2026150期开奖号码", "03 07 12 19 25 31 + 08"

roster = sorted(students)  # by id (code points = UTF-8 byte order)
enc = s(V) + u32(len(constraints)) + b"".join(s(c) for c in constraints)
enc += u32(len(classes)) + b"".join(s(n) + u32(k) for n, k in classes)
enc += u32(len(roster)) + b"".join(s(i) + b"".join(s(a) for a in at) for i, at in roster)
digest = hashlib.sha256(enc).digest()
seed = hashlib.sha256(s(V + " seed") + digest + s(secret) + s(source) + s(value)).digest()

def words():
    j = 0
    while True:
        block = hashlib.sha256(seed + struct.pack(">Q", j)).digest()
        j += 1
        for k in range(8):
            yield struct.unpack(">I", block[4 * k:4 * k + 4])[0]

w = words()
def below(n):
    while True:
        x = next(w)
        if x < 2**32 - 2**32 % n:
            return x % n

order = list(roster)
for i in range(len(order) - 1, 0, -1):
    j = below(i + 1)
    order[i], order[j] = order[j], order[i]
order.sort(key=lambda st: st[1])                     # stable, by constraint values
deal = sorted(classes, key=lambda c: -c[1])          # stable, largest first
placement = sorted((st[0], deal[i % len(deal)][0]) for i, st in enumerate(order))
pd = hashlib.sha256(u32(len(placement)) + b"".join(s(a) + s(b) for a, b in placement)).hexdigest()

print("commitment   ", hashlib.sha256(secret.encode()).hexdigest())
print("inputs_digest", digest.hex())
print("seed         ", seed.hex())
print("first words  ", [x for x, _ in zip(words(), range(4))])
print("placement    ", placement)
print("digest       ", pd)
