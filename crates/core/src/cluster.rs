//! Clusters: connected components of the match graph, with a guard against chaining.
//!
//! Exact and near-duplicate links join freely: a chain of near-duplicates at a high
//! threshold stays one story. Partial links are different: A shares a paragraph with B,
//! B another with C, and A and C have nothing in common. Joining every partial link
//! would chain whole corpora together through quotations and compilations. So a partial
//! link only *attaches* a copy to its source, as a star:
//!
//! - the later-dated side is the copy when both sides carry dates that differ (a side
//!   being dated by the earliest member of its exact/near group);
//!   otherwise the side more covered by the other (a truncation is covered entirely by
//!   its original; an article that lifted three paragraphs is covered in part);
//! - the copy's exact/near group must be free — neither attached elsewhere nor already
//!   a source of attachments — and the source must be a core document (not itself
//!   attached through a partial link); when the more covered side is not free, the link
//!   may attach the other way round;
//! - links are taken strongest first (highest coverage), so each copy goes to the
//!   source it depends on most.
//!
//! A compilation B of paragraphs from A and C therefore joins one of them, and A and C
//! stay apart. A partial link refused by the guard is still reported in the matches.
//! Cluster ids are the input position of the cluster's first document, so they are
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
    /// The first member in input order (the earliest seen, which for a crawl or a feed
    /// is usually the earliest published).
    pub representative: u32,
}

/// The clustering of `n` documents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clustering {
    /// For each document, its cluster id (its own position when it has no copy).
    pub cluster_of: Vec<u32>,
    /// For each document, the first document of its exact/near-duplicate group (itself
    /// when it has no duplicate): deduplication keeps exactly the documents for which
    /// this is themselves.
    pub group_of: Vec<u32>,
    /// For each document, the strongest relation among the links that put it in its
    /// cluster (`None` when alone).
    pub relation: Vec<Option<Relation>>,
    /// Clusters of two or more documents, ordered by id.
    pub clusters: Vec<Cluster>,
}

impl Clustering {
    /// Whether document `doc` is kept by deduplication: it is the first of its group of
    /// exact and near-duplicate copies. Partial copies are different documents and are
    /// kept.
    pub fn is_kept(&self, doc: u32) -> bool {
        self.group_of[doc as usize] == doc
    }
}

/// Clusters `n` documents from their matches (see the module documentation).
pub fn cluster(n: usize, matches: &[Match]) -> Clustering {
    cluster_dated(n, matches, &[])
}

/// Like [`cluster`], with each document's date as a sortable number (for instance
/// `yyyymmdd`) where known: `dates[i]` for document `i`, missing entries unknown.
pub fn cluster_dated(n: usize, matches: &[Match], dates: &[Option<u32>]) -> Clustering {
    let mut groups = UnionFind::new(n);
    let mut relation: Vec<Option<Relation>> = vec![None; n];
    let note = |relation: &mut Vec<Option<Relation>>, doc: u32, kind: Relation| {
        let slot = &mut relation[doc as usize];
        *slot = Some(slot.map_or(kind, |r| r.min(kind)));
    };
    for m in matches.iter().filter(|m| m.kind != Relation::Partial) {
        groups.union(m.a, m.b);
        note(&mut relation, m.a, m.kind);
        note(&mut relation, m.b, m.kind);
    }
    let group_of: Vec<u32> = (0..n as u32).map(|doc| groups.find(doc)).collect();
    // A group is as old as its earliest dated member: a later reprint may lead it.
    let mut group_date: Vec<Option<u32>> = vec![None; n];
    for (doc, &group) in group_of.iter().enumerate() {
        if let Some(d) = dates.get(doc).copied().flatten() {
            let slot = &mut group_date[group as usize];
            *slot = Some(slot.map_or(d, |g| g.min(d)));
        }
    }

    // Partial attachments, strongest first.
    let mut partial: Vec<(&Match, f32, u32, u32)> = matches
        .iter()
        .filter(|m| m.kind == Relation::Partial)
        .map(|m| {
            let (ca, cb) = m
                .evidence
                .as_ref()
                .map_or((0.0, 0.0), |e| (e.coverage_a, e.coverage_b));
            // The later-dated side is the copy; without dates, the more covered side;
            // on a tie, the later document.
            let date = |d: u32| group_date[group_of[d as usize] as usize];
            let a_is_copy = match (date(m.a), date(m.b)) {
                (Some(da), Some(db)) if da != db => da > db,
                _ => ca > cb,
            };
            let (copy, source) = if a_is_copy { (m.a, m.b) } else { (m.b, m.a) };
            (m, ca.max(cb), copy, source)
        })
        .collect();
    partial.sort_by(|x, y| {
        y.1.total_cmp(&x.1)
            .then(x.0.a.cmp(&y.0.a))
            .then(x.0.b.cmp(&y.0.b))
    });
    let mut attached = vec![false; n]; // by group root: attached to another group
    let mut source_of_attachments = vec![false; n]; // by group root
    let mut clusters_uf = groups.clone();
    for (m, _, copy, source) in partial {
        let (gc, gs) = (group_of[copy as usize], group_of[source as usize]);
        if gc == gs {
            continue;
        }
        // A copy must be free (neither attached nor a source yet) and a source must be
        // core (not attached). The more covered side is tried as the copy first; a
        // source that already has copies of its own may still take this one the other
        // way round (a long article quoting a short one is covered less than it).
        let free = |g: u32| !attached[g as usize] && !source_of_attachments[g as usize];
        let (gc, gs) = if free(gc) && !attached[gs as usize] {
            (gc, gs)
        } else if free(gs) && !attached[gc as usize] {
            (gs, gc)
        } else {
            continue;
        };
        attached[gc as usize] = true;
        source_of_attachments[gs as usize] = true;
        clusters_uf.union(gc, gs);
        note(&mut relation, m.a, m.kind);
        note(&mut relation, m.b, m.kind);
    }

    let cluster_of: Vec<u32> = (0..n as u32).map(|doc| clusters_uf.find(doc)).collect();
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
        group_of,
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
            evidence: None,
        }
    }

    fn partial(a: u32, b: u32, coverage_a: f32, coverage_b: f32) -> Match {
        Match {
            a,
            b,
            kind: Relation::Partial,
            similarity: 0.9,
            evidence: Some(Box::new(crate::relation::Evidence {
                coverage_a,
                coverage_b,
                passages: Vec::new(),
            })),
        }
    }

    #[test]
    fn partial_links_attach_copies_without_chaining() {
        // 1 is a truncation of 0; 2 lifted a paragraph of 0 (its own coverage higher);
        // 3 shares a paragraph with 2 only: 2 is attached, so 3 may not chain through it.
        // 4 and 5 are near-duplicates; 6 is a truncation of 5.
        let matches = [
            partial(0, 1, 0.6, 1.0),
            partial(0, 2, 0.2, 0.6),
            partial(2, 3, 0.3, 0.5),
            m(4, 5, Relation::Near),
            partial(5, 6, 0.5, 0.95),
        ];
        let c = cluster(7, &matches);
        assert_eq!(c.cluster_of, vec![0, 0, 0, 3, 4, 4, 4]);
        assert_eq!(c.relation[1], Some(Relation::Partial));
        assert_eq!(
            c.relation[3], None,
            "refused link does not tie 3 to anything"
        );
        assert_eq!(c.relation[5], Some(Relation::Near), "strongest edge wins");
        // dedup keeps partial copies: they are different documents
        assert!(c.is_kept(1) && c.is_kept(2) && c.is_kept(6));
        assert!(!c.is_kept(5));
        assert_eq!(c.group_of[5], 4);
    }

    #[test]
    fn dates_orient_partial_links_before_coverage() {
        // 0 is the original; 1 and 2 quote it inside longer texts, so 0 is the more
        // covered side of both links. Without dates 0 becomes a copy of 1 and 2 is left
        // out or joins by the reverse rule; with dates both attach to 0.
        let matches = [partial(0, 1, 0.5, 0.3), partial(0, 2, 0.45, 0.3)];
        let dated = cluster_dated(
            3,
            &matches,
            &[Some(20240101), Some(20240105), Some(20240107)],
        );
        assert_eq!(dated.cluster_of, vec![0, 0, 0]);
        let c = cluster(3, &matches);
        // Without dates: 0 is taken as a copy of 1, so 2 cannot attach to 0 (attached)
        // and 0 cannot be a copy twice.
        assert_eq!(c.cluster_of, vec![0, 0, 2]);
    }

    #[test]
    fn a_compilation_joins_one_source_only() {
        // 1 is made of a paragraph of 0 and a paragraph of 2; 0 and 2 are unrelated.
        let matches = [partial(0, 1, 0.2, 0.5), partial(1, 2, 0.45, 0.25)];
        let c = cluster(3, &matches);
        assert_eq!(c.cluster_of, vec![0, 0, 2]);
        assert_eq!(c.clusters.len(), 1);
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
