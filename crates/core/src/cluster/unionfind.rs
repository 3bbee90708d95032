//! Union-find (disjoint sets) whose root is always the smallest element of its set.
//!
//! Keeping the smallest input position as the root makes cluster ids deterministic and
//! meaningful (a cluster is named after its first document in input order) without a
//! relabelling pass, whatever order the unions arrive in.

/// Disjoint sets over `0..n`.
#[derive(Debug, Clone)]
pub struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    pub fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n as u32).collect(),
        }
    }

    pub fn len(&self) -> usize {
        self.parent.len()
    }

    pub fn is_empty(&self) -> bool {
        self.parent.is_empty()
    }

    /// The root (smallest element) of `x`'s set, halving the path on the way.
    pub fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let grandparent = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grandparent;
            x = grandparent;
        }
        x
    }

    /// Joins the sets of `a` and `b`; returns whether they were apart.
    pub fn union(&mut self, a: u32, b: u32) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        let (low, high) = if ra < rb { (ra, rb) } else { (rb, ra) };
        self.parent[high as usize] = low;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_is_smallest_member_whatever_the_union_order() {
        let mut uf = UnionFind::new(6);
        uf.union(5, 3);
        uf.union(3, 4);
        uf.union(4, 1);
        for x in [1, 3, 4, 5] {
            assert_eq!(uf.find(x), 1);
        }
        assert_eq!(uf.find(0), 0);
        assert_eq!(uf.find(2), 2);
        assert!(!uf.union(5, 1), "already joined");
        assert!(uf.union(2, 0));
        assert_eq!(uf.find(2), 0);
    }
}
