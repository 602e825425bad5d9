// The one C library import of the package: the maths (exp, log, lgamma, erfc …) and the few system
// calls PlaceRisk needs. Re-exported, so PlaceRiskIO, PlaceRiskReport and the CLI get it by importing
// PlaceRiskCore; no other file imports Glibc, Musl or Darwin.
#if canImport(Glibc)
@_exported import Glibc
#elseif canImport(Musl)
@_exported import Musl
#elseif canImport(Darwin)
@_exported import Darwin
#endif
