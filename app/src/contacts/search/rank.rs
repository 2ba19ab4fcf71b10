//! A contact's place in the search index: an integer that follows the list's
//! name order, so the index gives matches already sorted. Pure arithmetic;
//! the SQL is in `rank_repo`.
//!
//! SQLite's trigram index (FTS5) returns matches in row-id order. With the
//! contact id as row id, a page of "sonia" had to collect every Sônia
//! (thousands at 1,000,000 contacts) before it could show the first 50 in
//! name order. With a rank as row id, the first 50 matches read are the page.
//!
//! Each company owns `POSITIONS` ranks: `company_id * POSITIONS + position`,
//! position in `1..POSITIONS`, so one company's matches are one range of the
//! index and never pass through another's. Ranks follow `(sort_key, id)`
//! strictly: a new or renamed contact takes a rank between its neighbours'
//! ([`between`], packed where more names will follow them: [`PACK`]); when their gap is too small, the contacts of a window of
//! ranks around it are spread evenly again ([`fits`], [`aligned_window`],
//! [`spread`]): the list-labelling scheme of Itai, Konheim and Rodeh as
//! simplified by Bender et al. (windows aligned to powers of two, a window of
//! `2^level` ranks holding at most `GROWTH^level` contacts). Windows grow
//! geometrically, so each contact is moved a few times on average even when
//! a sorted file lands in one gap (`BENCHMARKS.md` has the measurements).

/// Bits of a company's position: 2^42 ranks per company.
pub const POSITION_BITS: u32 = 42;

/// Ranks per company.
pub const POSITIONS: i64 = 1 << POSITION_BITS;

/// The largest company id that has ranks (2^21 - 1 = 2,097,151): the ranks
/// of every company fit in a signed 64-bit row id. A company beyond has no
/// ranks, and its searches walk the name-ordered list (same results).
pub const MAX_RANKED_COMPANY: i64 = (1 << (63 - POSITION_BITS)) - 1;

/// A packed run takes this fraction (1/PACK) of its gap, just after the
/// contact before it. Runs are packed where the next names will most likely
/// come after them: after the company's last contact (a sorted file), and
/// after a contact of the same name (a new "Maria Silva" always sorts after
/// every Maria Silva already there, since ties follow the id). The gap then
/// shrinks by 1/64 per run instead of by half, so ~900 runs fit where
/// halving fits ~20. Everywhere else new ranks are spread over their whole
/// gap: names arriving in any order keep the widest gaps around them.
pub const PACK: i128 = 64;

/// A window of `2^level` ranks may hold at most `GROWTH^level` contacts.
/// Below 2, so a window relabelled at its limit leaves its halves room to
/// grow; the largest window (the company's) holds 1.6^42 ≈ 3.8e8 contacts.
pub const GROWTH: f64 = 1.6;

/// The ranks of one company: every rank lies strictly between `start` and
/// `end` (`start` is the company's base, `end` the next company's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RankSpace {
    pub start: i64,
    pub end: i64,
}

/// The company's ranks; `None` for ids outside `1..=MAX_RANKED_COMPANY`.
pub fn space(company: i64) -> Option<RankSpace> {
    (1..=MAX_RANKED_COMPANY)
        .contains(&company)
        .then(|| RankSpace {
            start: company * POSITIONS,
            end: company * POSITIONS + (POSITIONS - 1),
        })
}

/// `count` increasing ranks of `space` strictly between `lower` and `upper`
/// (the neighbours' ranks, or the space's bounds), evenly spaced over the
/// gap, or over its first 1/[`PACK`] when the run follows a contact of the
/// same name (`tie`) or the company's last contact (`upper` is the space's
/// end); `None` when the gap holds fewer than `count` ranks.
pub fn between(
    space: RankSpace,
    lower: i64,
    upper: i64,
    count: usize,
    tie: bool,
) -> Option<Vec<i64>> {
    let gap = i128::from(upper) - i128::from(lower);
    let slots = count as i128 + 1;
    if gap < slots {
        return None;
    }
    let packed = tie || (upper == space.end && lower != space.start);
    let even = gap / slots;
    let step = match even / PACK {
        small if packed && small > 0 => small,
        _ => even,
    };
    Some(
        (1..=count as i128)
            .map(|i| (i128::from(lower) + i * step) as i64)
            .collect(),
    )
}

/// `count` increasing ranks strictly between `lower` and `upper`, spread
/// over the whole gap (a relabelled window); `None` when it is too small.
pub fn spread(lower: i64, upper: i64, count: usize) -> Option<Vec<i64>> {
    let gap = i128::from(upper) - i128::from(lower);
    let slots = count as i128 + 1;
    if gap < slots {
        return None;
    }
    Some(
        (1..=count as i128)
            .map(|i| (i128::from(lower) + i * gap / slots) as i64)
            .collect(),
    )
}

/// A window spread again leaves at least 2^SPACING_BITS ranks between its
/// contacts, so the gaps it makes take hundreds of packed runs (ties) or a
/// dozen halvings before the next spread. The company's 2^42 ranks leave
/// that room for 2^30 contacts, more than [`GROWTH`] allows anyway.
pub const SPACING_BITS: u32 = 12;

/// Whether a window of `2^level` ranks may hold `contacts` contacts: at
/// most `GROWTH^level`, at least 2^[`SPACING_BITS`] ranks apart.
pub fn fits(level: u32, contacts: u64) -> bool {
    let capacity = GROWTH.powi(level as i32).floor() as u64;
    level >= SPACING_BITS
        && contacts <= capacity
        && contacts <= 1u64 << (level - SPACING_BITS).min(62)
}

/// The smallest window level worth trying for `count` contacts to place.
pub fn first_level(count: usize) -> u32 {
    let mut level = 1;
    while !fits(level, count as u64 + 1) && level < POSITION_BITS {
        level += 1;
    }
    level
}

/// The window of `2^level` ranks of `space` that holds `rank` (aligned to
/// its size), as the open interval of its ranks' bounds: every rank `r` of
/// the window has `lower < r < upper`. The window of level
/// [`POSITION_BITS`] is the whole space.
pub fn aligned_window(space: RankSpace, rank: i64, level: u32) -> (i64, i64) {
    let level = level.min(POSITION_BITS);
    let position = rank - space.start;
    let first = (position >> level) << level;
    let lower = (space.start + first - 1).max(space.start);
    // The last company's space ends at i64::MAX: cap before adding.
    let upper = space.start + (first + (1 << level)).min(POSITIONS - 1);
    (lower, upper)
}

/// Contacts waiting for ranks that lie next to each other in name order,
/// with no ranked contact between them: they go, in this order, between the
/// rank `after` (their ranked neighbour before, or the space's start) and
/// the next rank above it. `tie`: the first has the same name as that
/// neighbour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub after: i64,
    pub tie: bool,
    pub ids: Vec<i64>,
}

/// A contact waiting for a rank, in name order: its id, and the rank of the
/// ranked contact before it and whether that one has the same name, looked
/// for only back to the previous waiting contact (`None`: no ranked contact
/// between the two, so they are one run; for the first, none before it at
/// all, so the run starts at the space's start).
pub type Waiting = (i64, Option<i64>, bool);

/// The runs of the contacts waiting for ranks (see [`Waiting`]).
pub fn runs(waiting: &[Waiting], start: i64) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    for (i, (id, before, tie)) in waiting.iter().enumerate() {
        match (before, runs.last_mut()) {
            (None, Some(run)) if i > 0 => run.ids.push(*id),
            (before, _) => runs.push(Run {
                after: before.unwrap_or(start),
                tie: before.is_some() && *tie,
                ids: vec![*id],
            }),
        }
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waiting_contacts_with_no_rank_between_them_are_one_run() {
        assert_eq!(runs(&[], 100), []);
        let run = |after: i64, tie: bool, ids: &[i64]| Run {
            after,
            tie,
            ids: ids.to_vec(),
        };
        assert_eq!(
            runs(
                &[
                    (7, None, false),
                    (8, None, false),
                    (3, Some(500), true),
                    (4, Some(900), false),
                    (5, None, false)
                ],
                100
            ),
            [
                run(100, false, &[7, 8]),
                run(500, true, &[3]),
                run(900, false, &[4, 5])
            ]
        );
        assert_eq!(runs(&[(1, Some(150), false)], 100), [run(150, false, &[1])]);
    }

    #[test]
    fn companies_own_disjoint_ranges() {
        let one = space(1).expect("ranked");
        let two = space(2).expect("ranked");
        assert_eq!(one.start, POSITIONS);
        assert!(one.end < two.start);
        let last = space(MAX_RANKED_COMPANY).expect("ranked");
        assert_eq!(
            last.end,
            i64::MAX,
            "the last space ends at the largest row id"
        );
        assert_eq!(space(MAX_RANKED_COMPANY + 1), None);
        assert_eq!(space(0), None);
        assert_eq!(space(-3), None);
    }

    #[test]
    fn new_ranks_fit_strictly_between_their_neighbours() {
        let s = space(7).expect("ranked");
        let at = |offset: i64| s.start + offset;
        let place = |lower: i64, upper: i64, count: usize, tie: bool| {
            between(s, lower, upper, count, tie)
                .map(|r| r.into_iter().map(|r| r - s.start).collect::<Vec<_>>())
        };
        let inside =
            |lower: i64, upper: i64, count: usize| place(at(lower), at(upper), count, false);
        assert_eq!(inside(10, 20, 1), Some(vec![15]));
        assert_eq!(inside(10, 20, 3), Some(vec![12, 14, 16]));
        assert_eq!(inside(10, 20, 9), Some((11..20).collect()));
        assert_eq!(inside(10, 20, 10), None, "nine ranks between");
        assert_eq!(inside(10, 11, 1), None);
        assert_eq!(inside(10, 11, 0), Some(vec![]));
        // An empty company: its first contacts spread over all its ranks.
        let quarter = (s.end - s.start) / 4;
        assert_eq!(
            place(s.start, s.end, 3, false),
            Some(vec![quarter, 2 * quarter, 3 * quarter])
        );
        // After its last contact: packed into the first 64th of the gap.
        let step = (s.end - at(500)) / 3 / 64;
        assert_eq!(
            place(at(500), s.end, 2, false),
            Some(vec![500 + step, 500 + 2 * step])
        );
        // After a contact of the same name, alike...
        assert_eq!(
            place(at(0), at(64 * 4 * 10), 3, true),
            Some(vec![10, 20, 30])
        );
        // ...unless the gap is too small to pack: then the whole of it.
        assert_eq!(place(at(0), at(40), 3, true), Some(vec![10, 20, 30]));
        // Before its first contact, as anywhere else: the whole gap.
        assert_eq!(place(s.start, at(400), 3, false), Some(vec![100, 200, 300]));
        // Near the top of the i64 range there is no overflow.
        let last = space(MAX_RANKED_COMPANY).expect("ranked");
        let ranks = between(last, last.end - 100, last.end, 3, false).expect("room");
        assert!(ranks.iter().all(|r| *r > last.end - 100 && *r < last.end));
    }

    #[test]
    fn a_spread_uses_the_whole_gap() {
        assert_eq!(spread(0, 100, 3), Some(vec![25, 50, 75]));
        assert_eq!(spread(0, 4, 3), Some(vec![1, 2, 3]));
        assert_eq!(spread(0, 4, 4), None);
        let s = space(MAX_RANKED_COMPANY).expect("ranked");
        let ranks = spread(s.start, s.end, 1_000).expect("room");
        assert_eq!(ranks.len(), 1_000);
        assert!(ranks.windows(2).all(|w| w[0] < w[1]));
        assert!(ranks[0] > s.start && ranks[999] < s.end);
    }

    #[test]
    fn windows_hold_fewer_contacts_than_ranks_and_grow_slower() {
        assert!(!fits(1, 1), "too close");
        assert!(fits(SPACING_BITS, 1));
        assert!(!fits(SPACING_BITS, 2));
        assert!(fits(22, 1_024), "2^22 / 1,024 = 4,096 apart");
        assert!(!fits(22, 1_025));
        assert!(fits(20, 256));
        assert!(fits(POSITION_BITS, 300_000_000));
        assert!(!fits(POSITION_BITS, 400_000_000), "1.6^42 = 3.7e8");
        assert_eq!(first_level(0), SPACING_BITS);
        assert!(fits(first_level(2_500), 2_501));
        assert!(!fits(first_level(2_500) - 1, 2_501));
    }

    #[test]
    fn windows_are_aligned_and_inside_the_space() {
        let s = space(3).expect("ranked");
        let rank = s.start + 1_000_005;
        let (lower, upper) = aligned_window(s, rank, 4);
        assert_eq!(
            (lower, upper),
            (s.start + 1_000_000 - 1, s.start + 1_000_016)
        );
        assert!(lower < rank && rank < upper);
        // The first window starts at the space's own bound (never a rank).
        assert_eq!(aligned_window(s, s.start, 4), (s.start, s.start + 16));
        // The largest is the whole space.
        assert_eq!(aligned_window(s, rank, POSITION_BITS), (s.start, s.end));
        assert_eq!(aligned_window(s, rank, 60), (s.start, s.end));
        let last = space(MAX_RANKED_COMPANY).expect("ranked");
        assert_eq!(
            aligned_window(last, last.end - 1, POSITION_BITS),
            (last.start, last.end)
        );
    }
}
