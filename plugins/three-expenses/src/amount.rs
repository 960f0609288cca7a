//! Amounts in 万元 held exactly, as hundredths (分 of 万元 = 100 元).

use std::fmt;
use std::ops::Add;

/// Hundredths of 万元: 2911.47 万元 is `Cents(291147)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Cents(pub i64);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalid {
    Negative,
    /// More than two decimals (or not a finite number).
    Decimals,
}

impl Cents {
    /// From a decimal as the fields give it; at most two decimals, not negative.
    pub fn from_wan_yuan(v: f64) -> Result<Cents, Invalid> {
        if !v.is_finite() || v.abs() > 1e13 {
            return Err(Invalid::Decimals);
        }
        if v < 0.0 {
            return Err(Invalid::Negative);
        }
        let hundredths = v * 100.0;
        let rounded = hundredths.round();
        // "12.345" is 1234.5 hundredths; binary noise of "2911.47" stays far below 1e-6.
        if (hundredths - rounded).abs() > 1e-6 {
            return Err(Invalid::Decimals);
        }
        Ok(Cents(rounded as i64))
    }
}

impl Add for Cents {
    type Output = Cents;
    fn add(self, o: Cents) -> Cents {
        Cents(self.0 + o.0)
    }
}

/// "2911.47", "-204.61", "0.00".
impl fmt::Display for Cents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let a = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", a / 100, a % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_hundredths() {
        assert_eq!(Cents::from_wan_yuan(2911.47), Ok(Cents(291147)));
        assert_eq!(Cents::from_wan_yuan(0.1 + 0.2), Ok(Cents(30)));
        assert_eq!(Cents::from_wan_yuan(0.0), Ok(Cents(0)));
        assert_eq!(Cents::from_wan_yuan(12.345), Err(Invalid::Decimals));
        assert_eq!(Cents::from_wan_yuan(-0.01), Err(Invalid::Negative));
        assert_eq!(Cents(-20461).to_string(), "-204.61");
        assert_eq!(Cents(5).to_string(), "0.05");
        assert_eq!(Cents(0).to_string(), "0.00");
    }
}
