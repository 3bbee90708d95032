//! Two levels of grouping: **copy families** (`cluster`: versions of one text, what a
//! deduplicating engineer removes) and **stories** (`story`: families that tell one
//! story, what a fact-checker follows).
//!
//! # Families
//! Exact and near-duplicate links join freely: a chain of near-duplicates at a high
//! threshold stays one text; their components are *groups*. Between groups, the links
//! that make two documents versions of one text are `partial` copies (verbatim
//! passages of substance: [`crate::align::verify::passage_kind`]) and `rewrite`s. They
//! cannot simply be joined: A shares a paragraph with B, B another with C, and A and C
//! have nothing in common; joining every link would chain a corpus together through
//! quotations and compilations. So they form **stars** around sources ([`stars`]):
//!
//! 1. Each link is oriented from copy to source: the later-dated side is the copy when
//!    both sides are dated and differ (a side is dated by its earliest member; a date is
//!    the record's `date` field, else one read from the text); otherwise the side more
//!    covered by the other (a truncation is covered entirely by its original; an
//!    article that lifted three paragraphs is covered in part).
//! 2. Groups are ranked as sources by how many groups copy from them minus how many
//!    they copy from (an original scores high, a compilation of other texts low), then
//!    by date and input position.
//! 3. In that order, each group not yet placed becomes a centre and places every
//!    neighbour not yet placed as a satellite. Each satellite then joins the centre of
//!    its **strongest** link to a centre: verbatim copies before rewrites, then by
//!    coverage, so the strongest evidence decides, not the order centres were found in.
//!    A satellite mostly made of another satellite's text (over half of its own, by a
//!    stronger link) is a reprint of that member and joins its family.
//! 4. A group left with links but no neighbour to gather (an orphan) joins the family of
//!    its strongest rewrite link (versions of one text belong together whichever way
//!    their links point), or partial link of which it is the copy with more than half of
//!    its own content copied.
//! 5. A group still alone joins a family when its weaker story links (scored under the
//!    match threshold) reach two or more of the family's groups and together reach the
//!    threshold ([`corroborate`], a separate step so only the scan, which has those
//!    links, runs it).
//!
//! So a family is a centre, its direct neighbours and reprints of them, and no chain can
//! grow: a compilation B of paragraphs from unrelated A and C joins one of them, and A
//! and C stay apart; a text sharing one paragraph with a member stays out.
//!
//! # Stories
//! [`assign_stories`] runs the same stars one level up, over families: `same-story`
//! links (independent versions of one dispatch), and rewrite and partial links that
//! joined no family, tie families into stories, each a centre family and the families
//! directly tied to it (a family whose neighbours all joined other stories stays out:
//! a recap of two events must not chain them). `passage` links (a quote, a stock sentence, a background
//! paragraph shared by chance or by custom) tie nothing at either level: they are
//! reported, with their spans, in the matches.
//!
//! Every verified link is written to the matches whether or not it joined anything.
//! Family and story ids are the input position of their first document, so they are
//! stable for a given input whatever the thread count.

pub mod unionfind;

use std::collections::BTreeMap;

use crate::cluster::unionfind::UnionFind;
use crate::relation::{Match, Relation};

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
    /// For each document, its story id (the input position of the story's first
    /// document): families that tell one story share it; see [`assign_stories`]. Equal
    /// to `cluster_of` until stories are assigned.
    pub story_of: Vec<u32>,
    /// Stories of two or more documents, ordered by id.
    pub stories: Vec<Cluster>,
}

impl Clustering {
    /// Whether document `doc` is kept by deduplication: it is the first of its group of
    /// exact and near-duplicate copies. Partial copies are different documents and are
    /// kept.
    pub fn is_kept(&self, doc: u32) -> bool {
        self.group_of[doc as usize] == doc
    }
}

/// Share of its own content above which a document that copied a family member joins
/// that member's family.
const MOSTLY_COPIED: f32 = 0.5;

/// Clusters `n` documents from their matches (see the module documentation).
pub fn cluster(n: usize, matches: &[Match]) -> Clustering {
    cluster_dated(n, matches, &[])
}

/// A link between two nodes (exact/near groups, or families), oriented copy -> source.
struct Link {
    copy: u32,
    source: u32,
    /// Kind of evidence first (verbatim before reworded before story), then strength.
    tier: u8,
    strength: f32,
    /// Share of the copy's own content found in the source.
    copied: f32,
    kind: Relation,
    a: u32,
    b: u32,
}

/// Orients a match between nodes `na` and `nb` (the later-dated side is the copy; else
/// the side more covered by the other).
fn link(m: &Match, na: u32, nb: u32, node_date: &[Option<u32>], tier: u8) -> Link {
    let (ca, cb) = m
        .evidence
        .as_ref()
        .map_or((0.0, 0.0), |e| (e.coverage_a, e.coverage_b));
    let a_is_copy = match (node_date[na as usize], node_date[nb as usize]) {
        (Some(da), Some(db)) if da != db => da > db,
        _ => ca > cb,
    };
    let (copy, source) = if a_is_copy { (na, nb) } else { (nb, na) };
    Link {
        copy,
        source,
        tier,
        strength: ca.max(cb),
        copied: if a_is_copy { ca } else { cb },
        kind: m.kind,
        a: m.a,
        b: m.b,
    }
}

/// Stars over nodes: every node with links ends in one star, a centre with the nodes
/// that joined it, so no chain can grow (module documentation, steps 1-4). `nodes`
/// holds the nodes merged so far (a node is its root) and receives the stars; `joins`
/// says whether a node left with no neighbour to gather (an orphan) may join the star
/// of `link`'s other side; `used` is told every link that put a node in a star.
fn stars(
    nodes: &mut UnionFind,
    n: usize,
    node_date: &[Option<u32>],
    mut links: Vec<Link>,
    joins: impl Fn(&Link, u32) -> bool,
    mut used: impl FnMut(&Link),
) {
    // Strongest first: the kind of evidence, then its strength.
    links.sort_by(|x, y| {
        y.tier
            .cmp(&x.tier)
            .then(y.strength.total_cmp(&x.strength))
            .then(x.a.cmp(&y.a))
            .then(x.b.cmp(&y.b))
    });
    let mut score = vec![0i64; n];
    let mut neighbours: Vec<Vec<u32>> = vec![Vec::new(); n]; // link indices, by node
    for (i, link) in links.iter().enumerate() {
        score[link.source as usize] += 1;
        score[link.copy as usize] -= 1;
        neighbours[link.source as usize].push(i as u32);
        neighbours[link.copy as usize].push(i as u32);
    }
    let mut order: Vec<u32> = (0..n as u32)
        .filter(|&g| !neighbours[g as usize].is_empty())
        .collect();
    order.sort_by(|&x, &y| {
        score[y as usize]
            .cmp(&score[x as usize])
            .then(
                node_date[x as usize]
                    .unwrap_or(u32::MAX)
                    .cmp(&node_date[y as usize].unwrap_or(u32::MAX)),
            )
            .then(x.cmp(&y))
    });
    let other = |link: &Link, node: u32| {
        if link.copy == node {
            link.source
        } else {
            link.copy
        }
    };
    // Which nodes are centres: in rank order, a node not yet placed becomes a centre
    // and places its neighbours; one with nothing left to place is an orphan.
    #[derive(Clone, Copy, PartialEq)]
    enum Role {
        Free,
        Centre,
        Satellite,
        Orphan,
    }
    let mut role = vec![Role::Free; n];
    for &node in &order {
        if role[node as usize] != Role::Free {
            continue;
        }
        let mut gathered = false;
        for &i in &neighbours[node as usize] {
            let o = other(&links[i as usize], node);
            if role[o as usize] == Role::Free {
                role[o as usize] = Role::Satellite;
                gathered = true;
            }
        }
        role[node as usize] = if gathered { Role::Centre } else { Role::Orphan };
    }
    // Each satellite joins the centre of its strongest link to a centre, so the
    // strongest evidence decides, not the order centres were found in.
    let mut centre_of: Vec<u32> = (0..n as u32).collect();
    let mut via: Vec<Option<u32>> = vec![None; n];
    for &node in &order {
        if role[node as usize] != Role::Satellite {
            continue;
        }
        if let Some(&i) = neighbours[node as usize]
            .iter()
            .find(|&&i| role[other(&links[i as usize], node) as usize] == Role::Centre)
        {
            centre_of[node as usize] = other(&links[i as usize], node);
            via[node as usize] = Some(i);
        }
    }
    // A satellite mostly made of another satellite's text, by a link stronger than its
    // centre link, is a reprint of that member: it follows it (one step, no chain: the
    // member's own centre link, as found above, decides).
    let (first_centre, first_via) = (centre_of.clone(), via.clone());
    for &node in &order {
        if role[node as usize] != Role::Satellite {
            continue;
        }
        let Some(&first) = neighbours[node as usize].first() else {
            continue;
        };
        let l = &links[first as usize];
        let o = other(l, node);
        if Some(first) != first_via[node as usize]
            && role[o as usize] == Role::Satellite
            && l.copy == node
            && l.copied > MOSTLY_COPIED
            && first_via[o as usize].is_some()
        {
            centre_of[node as usize] = first_centre[o as usize];
            via[node as usize] = Some(first);
        }
    }
    for &node in &order {
        if let Some(i) = via[node as usize] {
            nodes.union(node, centre_of[node as usize]);
            used(&links[i as usize]);
        }
    }
    // An orphan: every neighbour already sits in a star. It joins through its
    // strongest link that `joins` accepts.
    for &node in &order {
        if role[node as usize] != Role::Orphan {
            continue;
        }
        if let Some(&i) = neighbours[node as usize]
            .iter()
            .find(|&&i| joins(&links[i as usize], node))
        {
            let link = &links[i as usize];
            nodes.union(node, other(link, node));
            used(link);
        }
    }
}

/// Like [`cluster`], with each document's date as a sortable number (for instance
/// `yyyymmdd`) where known: `dates[i]` for document `i`, missing entries unknown.
pub fn cluster_dated(n: usize, matches: &[Match], dates: &[Option<u32>]) -> Clustering {
    let mut groups = UnionFind::new(n);
    let mut relation: Vec<Option<Relation>> = vec![None; n];
    for m in matches.iter().filter(|m| m.kind.is_duplicate()) {
        groups.union(m.a, m.b);
        note(&mut relation, m.a, m.kind);
        note(&mut relation, m.b, m.kind);
    }
    let group_of: Vec<u32> = (0..n as u32).map(|doc| groups.find(doc)).collect();
    let group_date = earliest(&group_of, dates);
    // Family links between groups: verbatim copies of substance, then rewrites.
    let links: Vec<Link> = matches
        .iter()
        .filter_map(|m| {
            let tier = match m.kind {
                Relation::Partial => 2,
                Relation::Rewrite => 1,
                _ => return None,
            };
            let (ga, gb) = (group_of[m.a as usize], group_of[m.b as usize]);
            (ga != gb).then(|| link(m, ga, gb, &group_date, tier))
        })
        .collect();
    let mut families = groups.clone();
    // An orphan joins through a rewrite (versions of one text belong together whichever
    // came first), or a partial link of which it is the copy, mostly made of the
    // member's text (a reprint of a member belongs with it; a text that shares one
    // paragraph with a member, or that the member copied from, stays out).
    stars(
        &mut families,
        n,
        &group_date,
        links,
        |link, orphan| match link.kind {
            Relation::Rewrite => true,
            _ => link.copy == orphan && link.copied > MOSTLY_COPIED,
        },
        |link| {
            note(&mut relation, link.a, link.kind);
            note(&mut relation, link.b, link.kind);
        },
    );
    let cluster_of: Vec<u32> = (0..n as u32).map(|doc| families.find(doc)).collect();
    let mut clustering = Clustering {
        clusters: clusters_of(&cluster_of),
        story_of: cluster_of.clone(),
        stories: Vec::new(),
        cluster_of,
        group_of,
        relation,
    };
    clustering.stories = clusters_of(&clustering.story_of);
    clustering
}

fn note(relation: &mut [Option<Relation>], doc: u32, kind: Relation) {
    let slot = &mut relation[doc as usize];
    *slot = Some(slot.map_or(kind, |r| r.min(kind)));
}

/// Each node's earliest dated member (a later reprint may lead a group).
fn earliest(node_of: &[u32], dates: &[Option<u32>]) -> Vec<Option<u32>> {
    let mut node_date: Vec<Option<u32>> = vec![None; node_of.len()];
    for (doc, &node) in node_of.iter().enumerate() {
        if let Some(d) = dates.get(doc).copied().flatten() {
            let slot = &mut node_date[node as usize];
            *slot = Some(slot.map_or(d, |g| g.min(d)));
        }
    }
    node_date
}

/// The second level: families that tell one story. Families are tied by same-story
/// links, and by rewrite and partial links that joined no family (a partial copy of a
/// member of another family's star, a compilation left with the one source it joined);
/// they form stars around centre families as documents do (without step 4: a family
/// whose neighbours all joined other centres stays out, since a recap of two events is
/// tied to both), so no story chains distinct events. Short shared passages (`passage` links: a quote, a stock or
/// background paragraph) tie nothing. Story ids are the input position of the story's
/// first document; a family tied to no other is its own story.
pub fn assign_stories(clustering: &mut Clustering, matches: &[Match], dates: &[Option<u32>]) {
    let n = clustering.cluster_of.len();
    let family_of = &clustering.cluster_of;
    let family_date = earliest(family_of, dates);
    let links: Vec<Link> = matches
        .iter()
        .filter_map(|m| {
            let tier = match m.kind {
                Relation::Partial | Relation::Rewrite => 1,
                Relation::SameStory => 0,
                _ => return None,
            };
            let (fa, fb) = (family_of[m.a as usize], family_of[m.b as usize]);
            (fa != fb).then(|| link(m, fa, fb, &family_date, tier))
        })
        .collect();
    let mut stories = UnionFind::new(n);
    for (doc, &family) in family_of.iter().enumerate() {
        stories.union(doc as u32, family);
    }
    // An orphan family (all its neighbours already satellites of other centres) stays
    // out: a recap tied to two stories would otherwise chain them.
    stars(&mut stories, n, &family_date, links, |_, _| false, |_| {});
    clustering.story_of = (0..n as u32).map(|doc| stories.find(doc)).collect();
    clustering.stories = clusters_of(&clustering.story_of);
}

/// The clusters of two or more documents, ordered by id, from each document's cluster
/// id (the smallest member's position).
fn clusters_of(cluster_of: &[u32]) -> Vec<Cluster> {
    let n = cluster_of.len();
    let mut size = vec![0u32; n];
    for &root in cluster_of {
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
    clusters
}

/// Step 5 of clustering: documents left alone join the cluster their weaker story
/// links corroborate. Returns the indices in `weak` of the links that did it.
///
/// `weak` holds rewrite and same-story links scored under the match threshold. One such
/// link is not enough to tie two documents; but a heavy rewrite of a story that has
/// several versions resembles each of them a little, and links to different versions
/// are separate pieces of evidence. So a group (an exact/near-duplicate group, or a
/// single document) in no cluster joins cluster `C` when its links reach members of two
/// or more of `C`'s exact/near groups and their combined score (noisy-or over those
/// groups, `1 - Π(1 - s)`, each group counted by its best link) reaches `min_score`.
/// Exact and near copies of one version are one piece of evidence, not several.
/// Only clusters as they stood before this step count, so no chain grows through the
/// documents it adds; a group corroborated towards several clusters joins the one with
/// the highest combined score (the lower id on a tie). Every weak link between the
/// group and the cluster it joins is returned: each is evidence of the join.
pub fn corroborate(clustering: &mut Clustering, weak: &[Match], min_score: f32) -> Vec<usize> {
    let n = clustering.cluster_of.len();
    let mut group_size = vec![0u32; n];
    let mut cluster_size = vec![0u32; n];
    for doc in 0..n {
        group_size[clustering.group_of[doc] as usize] += 1;
        cluster_size[clustering.cluster_of[doc] as usize] += 1;
    }
    // A group is alone when its cluster holds nothing else.
    let alone = |doc: u32| {
        let group = clustering.group_of[doc as usize];
        cluster_size[clustering.cluster_of[doc as usize] as usize] == group_size[group as usize]
    };
    // (joining group, cluster) -> member group -> best score, and the links.
    type Evidence = (BTreeMap<u32, f32>, Vec<usize>);
    let mut evidence: BTreeMap<(u32, u32), Evidence> = BTreeMap::new();
    for (i, m) in weak.iter().enumerate() {
        for (x, y) in [(m.a, m.b), (m.b, m.a)] {
            if (x as usize) >= n || (y as usize) >= n || !alone(x) || alone(y) {
                continue;
            }
            let key = (
                clustering.group_of[x as usize],
                clustering.cluster_of[y as usize],
            );
            let (by_group, links) = evidence.entry(key).or_default();
            let best = by_group
                .entry(clustering.group_of[y as usize])
                .or_insert(m.similarity);
            *best = best.max(m.similarity);
            links.push(i);
        }
    }
    // Best corroborated cluster of each joining group.
    let mut joins: BTreeMap<u32, (f32, u32, Vec<usize>)> = BTreeMap::new();
    for ((group, cluster), (by_group, links)) in evidence {
        if by_group.len() < 2 {
            continue;
        }
        let combined = 1.0 - by_group.values().map(|s| 1.0 - s).product::<f32>();
        if combined < min_score {
            continue;
        }
        // Iterating clusters in ascending order, a later one must be strictly better.
        match joins.get(&group) {
            Some((best, _, _)) if *best >= combined => {}
            _ => {
                joins.insert(group, (combined, cluster, links));
            }
        }
    }
    if joins.is_empty() {
        return Vec::new();
    }
    // Merged through union-find, so a cluster keeps its first member as its id even
    // when a document that comes before it joins.
    let mut merged = UnionFind::new(n);
    for (doc, &root) in clustering.cluster_of.iter().enumerate() {
        merged.union(doc as u32, root);
    }
    let mut used = Vec::new();
    for (group, (_, cluster, links)) in joins {
        merged.union(group, cluster);
        for &i in &links {
            let m = &weak[i];
            let doc = if clustering.group_of[m.a as usize] == group {
                m.a
            } else {
                m.b
            };
            let slot = &mut clustering.relation[doc as usize];
            *slot = Some(slot.map_or(m.kind, |r| r.min(m.kind)));
        }
        used.extend(links);
    }
    clustering.cluster_of = (0..n as u32).map(|doc| merged.find(doc)).collect();
    clustering.clusters = clusters_of(&clustering.cluster_of);
    used.sort_unstable();
    used
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
                sentences: Vec::new(),
                facts: Vec::new(),
                corroborated: false,
            })),
        }
    }

    #[test]
    fn partial_links_form_stars_around_sources() {
        // 1 is a truncation of 0 and 2 lifted a paragraph of 0: both copy 0.
        // 3 shares a paragraph with 2 only (3 is the copy): 0 is the stronger source,
        // gathers 2 first, and 3 cannot chain in through 2.
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
        assert_eq!(c.relation[3], None, "an unused link ties 3 to nothing");
        assert_eq!(c.relation[5], Some(Relation::Near), "strongest edge wins");
        // dedup keeps partial copies: they are different documents
        assert!(c.is_kept(1) && c.is_kept(2) && c.is_kept(6));
        assert!(!c.is_kept(5));
        assert_eq!(c.group_of[5], 4);
    }

    #[test]
    fn copies_that_also_share_text_with_each_other_gather_around_their_source() {
        // 0 is the source; 1, 2, 3 copy it and overlap each other strongly (they copied
        // the same parts), which must not pull them away from 0.
        let matches = [
            partial(0, 1, 0.5, 0.9),
            partial(0, 2, 0.4, 0.8),
            partial(0, 3, 0.45, 0.85),
            partial(1, 2, 0.95, 0.9),
            partial(1, 3, 0.9, 0.92),
            partial(2, 3, 0.91, 0.93),
        ];
        let c = cluster(4, &matches);
        assert_eq!(c.cluster_of, vec![0, 0, 0, 0]);
    }

    #[test]
    fn dates_orient_partial_links_before_coverage() {
        // 0 is the original; 1 and 2 quote it inside longer texts, so 0 is the more
        // covered side of both links.
        let matches = [partial(0, 1, 0.5, 0.3), partial(0, 2, 0.45, 0.3)];
        let dated = cluster_dated(
            3,
            &matches,
            &[Some(20240101), Some(20240105), Some(20240107)],
        );
        assert_eq!(dated.cluster_of, vec![0, 0, 0]);
        assert_eq!(dated.relation[2], Some(Relation::Partial));
        // Without dates, coverage orients both links from 0 to 1 and 2: 0 looks like a
        // compilation of two sources and joins the stronger one only.
        let c = cluster(3, &matches);
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

    fn story(a: u32, b: u32, kind: Relation, coverage_a: f32, coverage_b: f32) -> Match {
        Match {
            kind,
            ..partial(a, b, coverage_a, coverage_b)
        }
    }

    #[test]
    fn versions_of_one_story_stay_together_whichever_way_links_point() {
        // 0 looks like the copy of both 1 and 2 (it is the more covered side). The
        // rewrite makes 0 and 1 one family; the same-story link ties 2 to it as a story
        // only.
        let matches = [
            story(0, 1, Relation::Rewrite, 0.6, 0.5),
            story(0, 2, Relation::SameStory, 0.3, 0.2),
        ];
        let mut c = cluster(3, &matches);
        assert_eq!(c.cluster_of, vec![0, 0, 2]);
        assert_eq!(c.relation[2], None);
        assign_stories(&mut c, &matches, &[]);
        assert_eq!(c.story_of, vec![0, 0, 0]);
        assert_eq!(c.stories.len(), 1);
        assert_eq!(c.stories[0].members, vec![0, 1, 2]);
        // The same shape with partial links keeps the chaining guard.
        let matches = [partial(0, 1, 0.6, 0.5), partial(0, 2, 0.3, 0.2)];
        let c = cluster(3, &matches);
        assert_eq!(c.cluster_of, vec![0, 0, 2]);
    }

    #[test]
    fn passages_tie_nothing_and_stories_do_not_chain() {
        // 0-1 and 2-3 are families (rewrites); 4-5 a third. A shared quote (passage)
        // between 1 and 2 ties nothing. Same-story links 0-2 and 2-4 make {2, 3} look
        // like a later account drawing on both others (a recap, the more covered side
        // of both links): it joins the story of {0, 1}, and {4, 5} is not pulled in
        // through it. 6, tied to 5 only, stays out of 0's story too.
        let passage = Match {
            kind: Relation::Passage,
            ..partial(1, 2, 0.05, 0.04)
        };
        let matches = [
            story(0, 1, Relation::Rewrite, 0.8, 0.8),
            story(2, 3, Relation::Rewrite, 0.8, 0.8),
            story(4, 5, Relation::Rewrite, 0.8, 0.8),
            passage.clone(),
            story(0, 2, Relation::SameStory, 0.3, 0.35),
            story(2, 4, Relation::SameStory, 0.35, 0.3),
        ];
        let mut c = cluster(7, &matches);
        assert_eq!(c.cluster_of, vec![0, 0, 2, 2, 4, 4, 6]);
        assign_stories(&mut c, &matches, &[]);
        assert_eq!(c.story_of, vec![0, 0, 0, 0, 4, 4, 6]);
        // Only the passage: nothing at all.
        let mut c = cluster(3, std::slice::from_ref(&passage));
        assign_stories(&mut c, std::slice::from_ref(&passage), &[]);
        assert_eq!(
            (c.cluster_of.clone(), c.story_of.clone()),
            (vec![0, 1, 2], vec![0, 1, 2])
        );
        let mut more = matches.to_vec();
        more.push(story(5, 6, Relation::SameStory, 0.3, 0.3));
        let mut c = cluster(7, &more);
        assign_stories(&mut c, &more, &[]);
        assert_ne!(c.story_of[6], c.story_of[0], "no chain through family 4-5");
    }

    #[test]
    fn the_strongest_link_decides_a_satellite_family() {
        // 0 and 2 are sources (each copied by two others); 1 is a weak partial copy of
        // 0 (ranked first as its centre) but a near-total copy of 2: it joins 2.
        let matches = [
            partial(0, 1, 0.1, 0.3),
            partial(0, 3, 0.2, 0.9),
            partial(0, 4, 0.2, 0.9),
            partial(1, 2, 0.95, 0.8),
            partial(2, 5, 0.4, 0.9),
        ];
        let c = cluster(6, &matches);
        assert_eq!(c.cluster_of[1], c.cluster_of[2], "{:?}", c.cluster_of);
        assert_eq!(c.cluster_of[3], c.cluster_of[0]);
        assert_ne!(c.cluster_of[0], c.cluster_of[2]);
    }

    fn weak(a: u32, b: u32, kind: Relation, similarity: f32) -> Match {
        Match {
            similarity,
            ..story(a, b, kind, 0.2, 0.2)
        }
    }

    #[test]
    fn weak_links_to_two_versions_bring_a_lone_document_in() {
        // 0 is a source, 1 a near copy of it, 2 a rewrite of it: one cluster with two
        // groups ({0, 1} and {2}). 3 is a heavy rewrite scoring under the threshold
        // against each version; 4 is another text on the subject with one weak link.
        let matches = [
            m(0, 1, Relation::Near),
            story(0, 2, Relation::Rewrite, 0.8, 0.8),
        ];
        let weak_links = [
            weak(0, 3, Relation::SameStory, 0.44),
            weak(1, 3, Relation::Rewrite, 0.3),
            weak(2, 3, Relation::SameStory, 0.35),
            weak(0, 4, Relation::SameStory, 0.45),
        ];
        let mut c = cluster(5, &matches);
        assert_eq!(c.cluster_of, vec![0, 0, 0, 3, 4]);
        let used = corroborate(&mut c, &weak_links, 0.5);
        // 1 - (1 - 0.44)(1 - 0.35) = 0.636: two versions agree.
        assert_eq!(
            used,
            vec![0, 1, 2],
            "every link into the cluster is evidence"
        );
        assert_eq!(c.cluster_of, vec![0, 0, 0, 0, 4]);
        assert_eq!(c.clusters.len(), 1);
        assert_eq!(c.clusters[0].members, vec![0, 1, 2, 3]);
        assert_eq!(
            c.relation[3],
            Some(Relation::Rewrite),
            "its strongest link kind"
        );
        assert_eq!(c.relation[4], None);
    }

    #[test]
    fn copies_of_one_version_corroborate_once() {
        // 0, 1 and 2 are near copies of one text: links to each are one piece of
        // evidence, whatever their number.
        let matches = [m(0, 1, Relation::Near), m(0, 2, Relation::Near)];
        let weak_links = [
            weak(0, 3, Relation::SameStory, 0.45),
            weak(1, 3, Relation::SameStory, 0.45),
            weak(2, 3, Relation::SameStory, 0.45),
        ];
        let mut c = cluster(4, &matches);
        assert!(corroborate(&mut c, &weak_links, 0.5).is_empty());
        assert_eq!(c.cluster_of[3], 3);
    }

    #[test]
    fn weak_links_must_reach_the_match_score_together() {
        let matches = [story(0, 1, Relation::Rewrite, 0.8, 0.8)];
        // 1 - 0.8 · 0.8 = 0.36
        let weak_links = [
            weak(0, 2, Relation::SameStory, 0.2),
            weak(1, 2, Relation::SameStory, 0.2),
        ];
        let mut c = cluster(3, &matches);
        assert!(corroborate(&mut c, &weak_links, 0.5).is_empty());
        assert_eq!(c.cluster_of, vec![0, 0, 2]);
        assert!(!corroborate(&mut c, &weak_links, 0.3).is_empty());
        assert_eq!(c.cluster_of, vec![0, 0, 0]);
    }

    #[test]
    fn corroboration_grows_no_chains_and_picks_the_best_cluster() {
        // Clusters {0, 1} and {2, 3}. 4 is corroborated towards both, more strongly
        // towards {2, 3}. 5 has weak links to 4 and to 0 only: 4 joined in this step,
        // so it does not count, and one link to {0, 1} is not enough. 6 and 7 are a
        // near-duplicate pair in no cluster: they join together.
        let matches = [
            story(0, 1, Relation::Rewrite, 0.8, 0.8),
            story(2, 3, Relation::Rewrite, 0.8, 0.8),
            m(6, 7, Relation::Near),
        ];
        let weak_links = [
            weak(0, 4, Relation::SameStory, 0.3),
            weak(1, 4, Relation::SameStory, 0.3),
            weak(2, 4, Relation::SameStory, 0.4),
            weak(3, 4, Relation::SameStory, 0.4),
            weak(0, 5, Relation::SameStory, 0.45),
            weak(4, 5, Relation::SameStory, 0.45),
            weak(0, 6, Relation::SameStory, 0.4),
            weak(1, 7, Relation::SameStory, 0.4),
        ];
        let mut c = cluster(8, &matches);
        assert_eq!(c.clusters.len(), 3);
        let used = corroborate(&mut c, &weak_links, 0.5);
        assert_eq!(used, vec![2, 3, 6, 7]);
        assert_eq!(c.cluster_of, vec![0, 0, 2, 2, 2, 5, 0, 0]);
        let members: Vec<Vec<u32>> = c.clusters.iter().map(|c| c.members.clone()).collect();
        assert_eq!(members, vec![vec![0, 1, 6, 7], vec![2, 3, 4]]);
        assert!(c.is_kept(6) && !c.is_kept(7), "deduplication is unchanged");
    }

    #[test]
    fn a_joining_document_before_the_first_member_names_the_cluster() {
        // Cluster ids are the first member's position, whoever joins.
        let matches = [story(2, 3, Relation::Rewrite, 0.8, 0.8)];
        let weak_links = [
            weak(0, 2, Relation::SameStory, 0.4),
            weak(0, 3, Relation::SameStory, 0.4),
        ];
        let mut c = cluster(4, &matches);
        assert_eq!(corroborate(&mut c, &weak_links, 0.5), vec![0, 1]);
        assert_eq!(c.cluster_of, vec![0, 1, 0, 0]);
        assert_eq!(c.clusters.len(), 1);
        assert_eq!((c.clusters[0].id, c.clusters[0].representative), (0, 0));
        assert_eq!(c.clusters[0].members, vec![0, 2, 3]);
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
