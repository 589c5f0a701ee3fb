#pragma once
/// @file
/// The schema layer on its own (no HTTP): models, constraints, decode, encode, JSON Schema.

#include "vivace/schema/json.hpp"
