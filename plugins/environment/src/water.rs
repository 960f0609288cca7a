//! Surface water quality classes per GB 3838-2002 (mg/L; pH dimensionless),
//! judged by the 2011 evaluation method: a site's class is its worst
//! parameter's, worse than V is 劣V. A value equal to a limit belongs to that
//! class; shared limits (COD and BOD5 for I/II) give the better class.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaterBody {
    River,
    Lake,
}

/// Class 1..=5 = I..V, 6 = worse than V (劣V).
pub type Class = u8;

pub const PARAMETERS: [(&str, &str); 8] = [
    ("do", "DO"),
    ("codmn", "CODMn"),
    ("cod", "COD"),
    ("bod5", "BOD5"),
    ("nh3n", "NH3-N"),
    ("tp", "TP"),
    ("tn", "TN"),
    ("ph", "pH"),
];

fn at_most(v: f64, limits: [f64; 5]) -> Class {
    limits
        .iter()
        .position(|&l| v <= l)
        .map_or(6, |i| i as u8 + 1)
}

fn at_least(v: f64, limits: [f64; 5]) -> Class {
    limits
        .iter()
        .position(|&l| v >= l)
        .map_or(6, |i| i as u8 + 1)
}

/// The class of one parameter; `None` when the parameter is not evaluated
/// for this water body (TN in rivers) or unknown.
pub fn class_of(param: &str, v: f64, body: WaterBody) -> Option<Class> {
    Some(match param {
        "do" => at_least(v, [7.5, 6.0, 5.0, 3.0, 2.0]),
        "codmn" => at_most(v, [2.0, 4.0, 6.0, 10.0, 15.0]),
        "cod" => at_most(v, [15.0, 15.0, 20.0, 30.0, 40.0]),
        "bod5" => at_most(v, [3.0, 3.0, 4.0, 6.0, 10.0]),
        "nh3n" => at_most(v, [0.15, 0.5, 1.0, 1.5, 2.0]),
        "tp" => match body {
            WaterBody::River => at_most(v, [0.02, 0.1, 0.2, 0.3, 0.4]),
            WaterBody::Lake => at_most(v, [0.01, 0.025, 0.05, 0.1, 0.2]),
        },
        "tn" => match body {
            WaterBody::River => return None,
            WaterBody::Lake => at_most(v, [0.2, 0.5, 1.0, 1.5, 2.0]),
        },
        // pH 6–9 holds for every class: inside meets class I, outside is 劣V.
        "ph" => {
            if (6.0..=9.0).contains(&v) {
                1
            } else {
                6
            }
        }
        _ => return None,
    })
}

/// "I" … "V", or "worse-than-V".
pub fn class_code(c: Class) -> &'static str {
    ["I", "II", "III", "IV", "V", "worse-than-V"][usize::from(c.clamp(1, 6)) - 1]
}

pub fn class_zh(c: Class) -> &'static str {
    ["I类", "II类", "III类", "IV类", "V类", "劣V类"][usize::from(c.clamp(1, 6)) - 1]
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaterResult {
    /// (parameter id, class) for every evaluated parameter, in PARAMETERS order.
    pub classes: Vec<(&'static str, Class)>,
    pub overall: Class,
    /// Parameters at the overall class (when worse than I).
    pub worst: Vec<&'static str>,
}

/// Classes of the given (parameter id, value) pairs; `None` if none evaluated.
pub fn evaluate(values: &[(&str, f64)], body: WaterBody) -> Option<WaterResult> {
    let mut classes = Vec::new();
    for (id, _) in PARAMETERS {
        if let Some((_, v)) = values.iter().find(|(p, _)| *p == id) {
            if let Some(c) = class_of(id, *v, body) {
                classes.push((id, c));
            }
        }
    }
    let overall = classes.iter().map(|(_, c)| *c).max()?;
    let worst = if overall > 1 {
        classes
            .iter()
            .filter(|(_, c)| *c == overall)
            .map(|(p, _)| *p)
            .collect()
    } else {
        Vec::new()
    };
    Some(WaterResult {
        classes,
        overall,
        worst,
    })
}
