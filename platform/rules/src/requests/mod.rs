//! Requests for information (依申请公开), Regulation arts. 27–45: the lifecycle of a request,
//! its statutory clock, the outcome codes of the reply and the processing fees.

pub mod deadline;
pub mod fees;
pub mod lifecycle;
pub mod outcome;
