#pragma once
// A self-signed certificate and key for the TLS tests, generated with OpenSSL into temp files.

#include <string>

namespace vt {

struct cert_files {
  std::string certificate;  // PEM file path
  std::string key;          // PEM file path
};

/// Creates a fresh EC P-256 key and a self-signed certificate for CN=localhost.
cert_files make_self_signed_cert();

}  // namespace vt
