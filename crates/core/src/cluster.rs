//! Clusters: connected components of the match graph.
//!
//! Exact and near-duplicate links are transitive enough to join directly: a chain of
//! near-duplicates at a high threshold stays one story. (Partial links, which chain
//! unrelated documents through a shared paragraph, will need a guard; they do not join
//! here.) Cluster ids are the input position of the cluster's first document, so they are
//! stable for a given input whatever the thread count.

use crate::relation::{Match, Relation};
use crate::unionfind::UnionFind;

/// A cluster of two or more documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    /// Input position of the first member; also the cluster's id.
    pub id: u32,
    /// Members in input order.
    pub members: Vec<u32>,
    /// The member kept by deduplication: the first in input order (the earliest seen,
    /// which for a crawl or a feed is usually the earliest published).
    pub representative: u32,
}

/// The clustering of `n` documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clustering {
    /// For each document, its cluster id (its own position when it has no copy).
    pub cluster_of: Vec<u32>,
    /// For each document, the strongest relation among its matches (`None` when alone).
    pub relation: Vec<Option<Relation>>,
    /// Clusters of two or more documents, ordered by id.
    pub clusters: Vec<Cluster>,
}

impl Clustering {
    /// Whether document `doc` is kept by deduplication (alone, or its cluster's
    /// representative).
    pub fn is_kept(&self, doc: u32) -> bool {
        self.cluster_of[doc as usize] == doc
    }
}

/// Clusters `n` documents from their matches.
pub fn cluster(n: usize, matches: &[Match]) -> Clustering {
    let mut sets = UnionFind::new(n);
    let mut relation: Vec<Option<Relation>> = vec![None; n];
    for m in matches {
        sets.union(m.a, m.b);
        for doc in [m.a, m.b] {
            let slot = &mut relation[doc as usize];
            *slot = Some(slot.map_or(m.kind, |r| r.min(m.kind)));
        }
    }
    let cluster_of: Vec<u32> = (0..n as u32).map(|doc| sets.find(doc)).collect();
    let mut size = vec![0u32; n];
    for &root in &cluster_of {
        size[root as usize] += 1;
    }
    // Slot of each multi-member cluster in `clusters`, indexed by root.
    let mut slot = vec![u32::MAX; n];
    let mut clusters: Vec<Cluster> = Vec::new();
    for (doc, &root) in cluster_of.iter().enumerate() {
        if size[root as usize] < 2 {
            continue;
        }
        if slot[root as usize] == u32::MAX {
            slot[root as usize] = clusters.len() as u32;
            clusters.push(Cluster {
                id: root,
                members: Vec::with_capacity(size[root as usize] as usize),
                representative: root,
            });
        }
        clusters[slot[root as usize] as usize]
            .members
            .push(doc as u32);
    }
    Clustering {
        cluster_of,
        relation,
        clusters,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(a: u32, b: u32, kind: Relation) -> Match {
        Match {
            a,
            b,
            kind,
            similarity: 1.0,
        }
    }

    #[test]
    fn components_relations_and_representatives() {
        let matches = [
            m(1, 4, Relation::Near),
            m(4, 6, Relation::Exact),
            m(2, 5, Relation::Near),
        ];
        let c = cluster(7, &matches);
        assert_eq!(c.cluster_of, vec![0, 1, 2, 3, 1, 2, 1]);
        assert_eq!(c.clusters.len(), 2);
        assert_eq!(c.clusters[0].id, 1);
        assert_eq!(c.clusters[0].members, vec![1, 4, 6]);
        assert_eq!(c.clusters[0].representative, 1);
        assert_eq!(c.clusters[1].members, vec![2, 5]);
        assert_eq!(c.relation[0], None);
        assert_eq!(c.relation[1], Some(Relation::Near));
        assert_eq!(c.relation[4], Some(Relation::Exact), "strongest edge wins");
        assert_eq!(c.relation[6], Some(Relation::Exact));
        assert!(c.is_kept(0) && c.is_kept(1) && c.is_kept(3));
        assert!(!c.is_kept(4) && !c.is_kept(5) && !c.is_kept(6));
    }

    #[test]
    fn no_matches_means_all_singletons() {
        let c = cluster(3, &[]);
        assert!(c.clusters.is_empty());
        assert_eq!(c.cluster_of, vec![0, 1, 2]);
    }
}
