//! Requests for information (依申请公开): the request lifecycle, the statutory clock,
//! outcome codes and processing fees.

pub mod deadline;
pub mod fees;
pub mod lifecycle;
pub mod outcome;
