#include "tls_cert.hpp"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <random>
#include <stdexcept>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

namespace vt {

cert_files make_self_signed_cert() {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  if (!key)
    throw std::runtime_error("EVP_EC_gen failed");
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new(), X509_free);
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0)
    throw std::runtime_error("X509_sign");

  auto dir = std::filesystem::temp_directory_path() /
             ("vivace-tls-" + std::to_string(std::random_device{}()));
  std::filesystem::create_directories(dir);
  cert_files out{(dir / "cert.pem").string(), (dir / "key.pem").string()};
  FILE* f = std::fopen(out.certificate.c_str(), "w");
  PEM_write_X509(f, cert.get());
  std::fclose(f);
  f = std::fopen(out.key.c_str(), "w");
  PEM_write_PrivateKey(f, key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
  return out;
}

}  // namespace vt
