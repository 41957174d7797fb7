//! Ids as people read them: "b2b (qPmkNhRwLx)" where the scope asked by code makes the pairing
//! of a code with an id certain. A token's market claim lists ids only, in an order nobody
//! documents, so a code is put next to an id only when nothing else could have put an id there.

use crate::auth::scope::{parse_scope, split_scopes, ScopeKey, ScopeKind};

/// Which list of ids in the token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Claim {
    /// `market.id`: filled by market and store scopes (a store belongs to a market).
    Markets,
    /// `market.stock_location_ids`: filled by stock location scopes and by markets (a market
    /// brings its own stock locations).
    StockLocations,
}

impl Claim {
    fn filled_by(self, kind: ScopeKind) -> bool {
        match self {
            Claim::Markets => matches!(kind, ScopeKind::Market | ScopeKind::Store),
            Claim::StockLocations => matches!(kind, ScopeKind::Market | ScopeKind::StockLocation),
        }
    }

    /// The kind of scope whose code names an id of this claim.
    fn named_by(self) -> ScopeKind {
        match self {
            Claim::Markets => ScopeKind::Market,
            Claim::StockLocations => ScopeKind::StockLocation,
        }
    }
}

/// `ids` with the code they were asked by, when certain: exactly one scope in `asked` could put
/// ids in this claim, it named its market or stock location by code, and the token carries
/// exactly one id there. Otherwise the ids as they are.
pub fn named_ids(ids: &[String], asked: Option<&str>, claim: Claim) -> Vec<String> {
    let code = asked.and_then(|asked| {
        let mut fillers = split_scopes(asked)
            .filter_map(|part| parse_scope(part).ok())
            .filter(|scope| claim.filled_by(scope.kind));
        match (fillers.next(), fillers.next()) {
            (Some(only), None)
                if only.kind == claim.named_by() && only.key == Some(ScopeKey::Code) =>
            {
                Some(only.value)
            }
            _ => None,
        }
    });
    match (code, ids) {
        (Some(code), [id]) if code != *id => vec![format!("{code} ({id})")],
        _ => ids.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn one_market_asked_by_code_names_its_id() {
        assert_eq!(
            named_ids(
                &ids(&["qPmkNhRwLx"]),
                Some("market:code:b2b"),
                Claim::Markets
            ),
            ["b2b (qPmkNhRwLx)"]
        );
        assert_eq!(
            named_ids(
                &ids(&["okJbAuVzMb"]),
                Some("stock_location:code:eu-warehouse"),
                Claim::StockLocations
            ),
            ["eu-warehouse (okJbAuVzMb)"]
        );
    }

    #[test]
    fn a_market_brings_its_stock_locations_so_they_stay_unnamed() {
        assert_eq!(
            named_ids(
                &ids(&["okJbAuVzMb"]),
                Some("market:code:europe"),
                Claim::StockLocations
            ),
            ["okJbAuVzMb"]
        );
        assert_eq!(
            named_ids(
                &ids(&["okJbAuVzMb"]),
                Some("market:code:europe stock_location:code:eu-warehouse"),
                Claim::StockLocations
            ),
            ["okJbAuVzMb"],
            "the id may be the market's stock location"
        );
    }

    #[test]
    fn no_pairing_when_it_is_not_certain() {
        let two = ids(&["BjvlWhjJKa", "vjzmJhvEDo"]);
        assert_eq!(
            named_ids(
                &two,
                Some("market:code:europe market:code:usa"),
                Claim::Markets
            ),
            two,
            "the order of the ids is not documented"
        );
        let one = ids(&["BjvlWhjJKa"]);
        for asked in [
            None,
            Some("market:id:BjvlWhjJKa"),
            Some("store:code:milan"),
            Some("market:code:europe store:code:milan"),
            Some("market:1234"),
        ] {
            assert_eq!(named_ids(&one, asked, Claim::Markets), one, "{asked:?}");
        }
        assert!(named_ids(&[], Some("market:code:europe"), Claim::Markets).is_empty());
    }
}
