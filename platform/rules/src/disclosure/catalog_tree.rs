//! Rules of the catalog tree, over plain (id, parent id) pairs.
//!
//! The catalog must stay a forest: the public API walks a node's descendants to list
//! its items, and a cycle would make that walk endless. So a node never moves under
//! itself or under one of its own descendants.

use std::collections::HashMap;

/// Why a node cannot move where asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoveError {
    /// The new parent is not a node of the catalog.
    UnknownParent,
    /// The new parent is the node itself.
    UnderItself,
    /// The new parent is in the node's own subtree.
    UnderDescendant,
}

impl std::fmt::Display for MoveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            MoveError::UnknownParent => "no such catalog node",
            MoveError::UnderItself => "a node cannot be its own parent",
            MoveError::UnderDescendant => "a node cannot move under one of its own descendants",
        })
    }
}

/// Whether `node` may move under `new_parent` (`None`: to the top level), given every
/// node of the catalog as `(id, parent id)`.
pub fn check_move(
    nodes: &[(&str, Option<&str>)],
    node: &str,
    new_parent: Option<&str>,
) -> Result<(), MoveError> {
    let Some(new_parent) = new_parent else {
        return Ok(());
    };
    let parents: HashMap<&str, Option<&str>> = nodes.iter().copied().collect();
    if new_parent == node {
        return Err(MoveError::UnderItself);
    }
    if !parents.contains_key(new_parent) {
        return Err(MoveError::UnknownParent);
    }
    // Walk up from the new parent; meeting the node means it is an ancestor of it. The
    // walk is bounded, so even a damaged tree cannot make it loop.
    let mut at = Some(new_parent);
    for _ in 0..=nodes.len() {
        match at {
            None => return Ok(()),
            Some(id) if id == node => return Err(MoveError::UnderDescendant),
            Some(id) => at = parents.get(id).copied().flatten(),
        }
    }
    Err(MoveError::UnderDescendant)
}

/// `root` and every node under it, breadth first, given every node as `(id, parent id)`.
/// Each node is taken once, so even a damaged tree (a cycle) cannot make the walk endless.
pub fn subtree<'a>(nodes: &[(&'a str, Option<&'a str>)], root: &'a str) -> Vec<&'a str> {
    let mut out = vec![root];
    let mut seen: std::collections::HashSet<&str> = out.iter().copied().collect();
    let mut i = 0;
    while i < out.len() {
        let parent = out[i];
        for (id, _) in nodes.iter().filter(|(_, p)| *p == Some(parent)) {
            if seen.insert(id) {
                out.push(id);
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtrees_are_finite_even_in_a_cycle() {
        assert_eq!(subtree(TREE, "a"), ["a", "b", "d", "c"]);
        assert_eq!(subtree(TREE, "e"), ["e"]);
        let cycle = [("x", Some("y")), ("y", Some("x"))];
        assert_eq!(subtree(&cycle, "x"), ["x", "y"]);
    }

    //  a ─ b ─ c
    //  └ d
    //  e
    const TREE: &[(&str, Option<&str>)] = &[
        ("a", None),
        ("b", Some("a")),
        ("c", Some("b")),
        ("d", Some("a")),
        ("e", None),
    ];

    #[test]
    fn moves_that_keep_a_forest() {
        assert_eq!(check_move(TREE, "c", None), Ok(()));
        assert_eq!(check_move(TREE, "b", Some("e")), Ok(()));
        assert_eq!(check_move(TREE, "b", Some("d")), Ok(()));
        assert_eq!(check_move(TREE, "e", Some("c")), Ok(()));
        assert_eq!(check_move(TREE, "c", Some("a")), Ok(()));
        // Where it already is.
        assert_eq!(check_move(TREE, "b", Some("a")), Ok(()));
    }

    #[test]
    fn cycles_are_refused() {
        assert_eq!(
            check_move(TREE, "a", Some("a")),
            Err(MoveError::UnderItself)
        );
        assert_eq!(
            check_move(TREE, "a", Some("b")),
            Err(MoveError::UnderDescendant)
        );
        assert_eq!(
            check_move(TREE, "a", Some("c")),
            Err(MoveError::UnderDescendant)
        );
        assert_eq!(
            check_move(TREE, "b", Some("c")),
            Err(MoveError::UnderDescendant)
        );
    }

    #[test]
    fn unknown_parent_is_refused() {
        assert_eq!(
            check_move(TREE, "a", Some("nope")),
            Err(MoveError::UnknownParent)
        );
    }

    #[test]
    fn a_damaged_tree_does_not_loop() {
        let looped = [("x", Some("y")), ("y", Some("x")), ("z", None)];
        assert_eq!(
            check_move(&looped, "z", Some("x")),
            Err(MoveError::UnderDescendant)
        );
    }
}
