//! How many students of each stratum each class gets (LOTTERY.md §5, step 5):
//! class by class, in deal order, a feasible flow with bounds on a small
//! network, solved by breadth-first augmenting paths in a fixed order so that
//! every implementation finds the same one. Integers only.
//!
//! For the class being filled, with k classes left (itself included), every
//! count x of n remaining students is held to ⌊n/k⌋ ≤ x ≤ ⌈n/k⌉: per stratum,
//! per value of the first constraint (row), per value of the second (column),
//! and in total exactly the class's size. Such counts always exist (the
//! fractional point n/k satisfies every bound and the network is totally
//! unimodular), and taking them class after class leaves every class with
//! ⌊N/K⌋ or ⌈N/K⌉ of each stratum, row and column.

/// A stratum: its row key (first constraint's value, "" without one), its
/// column key (second constraint's value, "" without one) and its size.
pub struct Stratum<'a> {
    pub row: &'a str,
    pub col: &'a str,
    pub students: u32,
}

/// A residual network: edge e's reverse is e ^ 1.
struct Net {
    adj: Vec<Vec<usize>>,
    to: Vec<usize>,
    cap: Vec<i64>,
}

impl Net {
    fn new(nodes: usize) -> Net {
        Net {
            adj: vec![Vec::new(); nodes],
            to: Vec::new(),
            cap: Vec::new(),
        }
    }

    fn add(&mut self, u: usize, w: usize, cap: i64) -> usize {
        let e = self.to.len();
        self.to.extend([w, u]);
        self.cap.extend([cap, 0]);
        self.adj[u].push(e);
        self.adj[w].push(e + 1);
        e
    }

    /// Edmonds–Karp: the shortest augmenting path by breadth-first search,
    /// each node's parent being the first edge that reached it.
    fn max_flow(&mut self, s: usize, t: usize) -> i64 {
        let mut total = 0;
        loop {
            let mut parent: Vec<Option<usize>> = vec![None; self.adj.len()];
            let mut seen = vec![false; self.adj.len()];
            seen[s] = true;
            let mut queue = std::collections::VecDeque::from([s]);
            while let Some(u) = queue.pop_front() {
                for &e in &self.adj[u] {
                    let w = self.to[e];
                    if self.cap[e] > 0 && !seen[w] {
                        seen[w] = true;
                        parent[w] = Some(e);
                        queue.push_back(w);
                    }
                }
            }
            if !seen[t] {
                return total;
            }
            let mut bottleneck = i64::MAX;
            let mut v = t;
            while let Some(e) = parent[v] {
                bottleneck = bottleneck.min(self.cap[e]);
                v = self.to[e ^ 1];
            }
            let mut v = t;
            while let Some(e) = parent[v] {
                self.cap[e] -= bottleneck;
                self.cap[e ^ 1] += bottleneck;
                v = self.to[e ^ 1];
            }
            total += bottleneck;
        }
    }
}

fn floor_ceil(n: u32, k: u32) -> (i64, i64) {
    (i64::from(n / k), i64::from(n.div_ceil(k)))
}

/// `counts[c][j]`: students of stratum j for the c-th class of `sizes` (deal
/// order). Strata come sorted by (row, col); sizes sum to the students and
/// differ by at most one.
pub fn counts(strata: &[Stratum], sizes: &[u32]) -> Vec<Vec<u32>> {
    let mut rows: Vec<&str> = strata.iter().map(|s| s.row).collect();
    rows.dedup();
    let mut cols: Vec<&str> = strata.iter().map(|s| s.col).collect();
    cols.sort_unstable();
    cols.dedup();
    let (source, sink) = (0, 1);
    let row_node = |r: &str| 2 + rows.iter().position(|x| *x == r).unwrap_or(0);
    let col_node = |c: &str| 2 + rows.len() + cols.iter().position(|x| *x == c).unwrap_or(0);
    let super_source = 2 + rows.len() + cols.len();
    let super_sink = super_source + 1;

    let mut left: Vec<u32> = strata.iter().map(|s| s.students).collect();
    let mut out = Vec::with_capacity(sizes.len());
    for (c, &size) in sizes.iter().enumerate() {
        let k = (sizes.len() - c) as u32;
        let sum_by = |key: &dyn Fn(usize) -> bool| -> u32 {
            (0..strata.len()).filter(|&j| key(j)).map(|j| left[j]).sum()
        };
        // Edges with bounds [lo, hi], in this order: rows, strata, columns, total.
        let mut edges: Vec<(usize, usize, i64, i64)> = Vec::new();
        for r in &rows {
            let (lo, hi) = floor_ceil(sum_by(&|j| strata[j].row == *r), k);
            edges.push((source, row_node(r), lo, hi));
        }
        for (j, s) in strata.iter().enumerate() {
            let (lo, hi) = floor_ceil(left[j], k);
            edges.push((row_node(s.row), col_node(s.col), lo, hi));
        }
        for col in &cols {
            let (lo, hi) = floor_ceil(sum_by(&|j| strata[j].col == *col), k);
            edges.push((col_node(col), sink, lo, hi));
        }
        edges.push((sink, source, i64::from(size), i64::from(size)));

        // Lower bounds become node excesses, met from a super source and sink.
        let mut net = Net::new(super_sink + 1);
        let mut excess = vec![0i64; super_source];
        let ids: Vec<usize> = edges
            .iter()
            .map(|&(u, w, lo, hi)| {
                excess[w] += lo;
                excess[u] -= lo;
                net.add(u, w, hi - lo)
            })
            .collect();
        let mut need = 0;
        for (node, &e) in excess.iter().enumerate() {
            if e > 0 {
                net.add(super_source, node, e);
                need += e;
            }
        }
        for (node, &e) in excess.iter().enumerate() {
            if e < 0 {
                net.add(node, super_sink, -e);
            }
        }
        let flow = net.max_flow(super_source, super_sink);
        assert_eq!(flow, need, "balanced counts always exist");
        let row = (0..strata.len())
            .map(|j| {
                let (_, _, lo, hi) = edges[rows.len() + j];
                let x = lo + (hi - lo - net.cap[ids[rows.len() + j]]);
                left[j] -= x as u32;
                x as u32
            })
            .collect();
        out.push(row);
    }
    out
}
