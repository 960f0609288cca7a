//! Demo requests for the demo city and its departments: one in every state, some overdue.
