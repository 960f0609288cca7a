#!/usr/bin/env python3
"""Independent implementation of gongkai-lottery/1 (LOTTERY.md), written from the
specification only. Prints the known-answer vector pasted into tests/lottery.rs:
    python3 plugins/admissions/tests/lottery_kat.py"""
import hashlib, struct

V = "gongkai-lottery/1"
s = lambda x: struct.pack(">I", len(x.encode())) + x.encode()
u32 = lambda n: struct.pack(">I", n)

def draw(constraints, classes, students, secret, source, value):
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
    strata = []                                          # [attrs, [students]] in order
    for st in order:
        if strata and strata[-1][0] == st[1]:
            strata[-1][1].append(st)
        else:
            strata.append([st[1], [st]])
    row = lambda at: at[0] if len(at) > 0 else ""
    col = lambda at: at[1] if len(at) > 1 else ""
    rows = sorted({row(a) for a, _ in strata})
    cols = sorted({col(a) for a, _ in strata})
    deal = sorted(classes, key=lambda c: -c[1])          # stable, largest first
    left = [len(m) for _, m in strata]
    SRC, SNK = 0, 1
    rn = lambda r: 2 + rows.index(r)
    cn = lambda c: 2 + len(rows) + cols.index(c)
    SS = 2 + len(rows) + len(cols)
    ST = SS + 1

    def max_flow(adj, to, cap, s, t):
        while True:
            parent, seen, queue = {}, {s}, [s]
            for u in queue:                              # breadth first
                for e in adj[u]:
                    if cap[e] > 0 and to[e] not in seen:
                        seen.add(to[e]); parent[to[e]] = e; queue.append(to[e])
            if t not in seen:
                return
            path, v = [], t
            while v != s:
                path.append(parent[v]); v = to[parent[v] ^ 1]
            push = min(cap[e] for e in path)
            for e in path:
                cap[e] -= push; cap[e ^ 1] += push

    placement = []
    nxt = [0] * len(strata)
    for c, (cname, size) in enumerate(deal):
        k = len(deal) - c
        fc = lambda n: (n // k, -(-n // k))
        edges = [(SRC, rn(r)) + fc(sum(left[j] for j, (a, _) in enumerate(strata) if row(a) == r)) for r in rows]
        edges += [(rn(row(a)), cn(col(a))) + fc(left[j]) for j, (a, _) in enumerate(strata)]
        edges += [(cn(q), SNK) + fc(sum(left[j] for j, (a, _) in enumerate(strata) if col(a) == q)) for q in cols]
        edges += [(SNK, SRC, size, size)]
        adj, to, cap, excess = [[] for _ in range(ST + 1)], [], [], [0] * SS
        def add(u, w, c):
            adj[u].append(len(to)); to.append(w); cap.append(c)
            adj[w].append(len(to)); to.append(u); cap.append(0)
        for u, w, lo, hi in edges:
            add(u, w, hi - lo); excess[w] += lo; excess[u] -= lo
        for node, e in enumerate(excess):
            if e > 0: add(SS, node, e)
        for node, e in enumerate(excess):
            if e < 0: add(node, ST, -e)
        max_flow(adj, to, cap, SS, ST)
        assert all(cap[2 * i] == 0 for i in range(len(edges), len(to) // 2)), "excess not met"
        for j, (a, members) in enumerate(strata):
            i = len(rows) + j
            lo, hi = edges[i][2], edges[i][3]
            x = lo + (hi - lo - cap[2 * i])
            left[j] -= x
            placement += [(st[0], cname) for st in members[nxt[j]:nxt[j] + x]]
            nxt[j] += x
    placement.sort()
    pd = hashlib.sha256(u32(len(placement)) + b"".join(s(a) + s(b) for a, b in placement)).hexdigest()
    return digest, seed, words, placement, pd

constraints = ["sex", "category"]
classes = [("一班", 4), ("二班", 4), ("三班", 3)]
students = [("S%02d" % i, ["F" if i % 2 else "M", "A" if i % 3 else "B"]) for i in range(1, 12)]
secret, source, value = "agency-secret-2026-k7Qm", "双色球2026150期开奖号码", "03 07 12 19 25 31 + 08"

digest, seed, words, placement, pd = draw(constraints, classes, students, secret, source, value)
print("commitment   ", hashlib.sha256(secret.encode()).hexdigest())
print("inputs_digest", digest.hex())
print("seed         ", seed.hex())
print("first words  ", [x for x, _ in zip(words(), range(4))])
print("placement    ", placement)
print("digest       ", pd)

# A larger vector: 200 students, 7 classes of 28/29 given in mixed order, 2 × 3 strata.
students2 = [("R%03d" % i, ["F" if i * 7 % 5 < 2 else "M", "甲乙丙"[i * i % 7 % 3]]) for i in range(200)]
classes2 = [("%d班" % (i + 1), z) for i, z in enumerate([28, 29, 28, 29, 29, 28, 29])]
print("digest 200   ", draw(constraints, classes2, students2, secret, source, value)[4])
