// Package podium holds the domain of a performance incentive program for
// Livepeer orchestrators: what a test result is, how results are aggregated,
// and the interfaces between the parts that measure, store, score and pay.
//
// The root package does no I/O. Packages named after a dependency (sqlite,
// postgres, chain, ...) implement the interfaces declared here; cmd/podium
// wires them together.
package podium
