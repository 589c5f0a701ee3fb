#pragma once
/// @file
/// `codec<T>`: how a type decodes from JSON (collecting every error), encodes to JSON and
/// describes itself as JSON Schema. Specialised, in the headers included here, for the standard
/// vocabulary and for every described struct and enum; users may add their own
/// specialisations. Include this header rather than the pieces: a codec finds the codecs of
/// the types it holds only when their headers are included too.

// In dependency order (each header includes the earlier ones it builds on), not sorted.
// clang-format off
#include "vivace/schema/codec_base.hpp"         // codec<T>, encode_options, write_json, helpers
#include "vivace/schema/codec_scalars.hpp"      // bool, numbers, strings, formats, durations
#include "vivace/schema/codec_containers.hpp"   // optional, Default, Patch, vector, map
#include "vivace/schema/codec_constraints.hpp"  // Constrained, Secret
#include "vivace/schema/codec_unions.hpp"       // std::variant, Discriminated
#include "vivace/schema/codec_enum.hpp"         // described enums
#include "vivace/schema/codec_model.hpp"        // described structs (models)
// clang-format on
