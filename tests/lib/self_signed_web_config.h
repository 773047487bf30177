// A web config file with a self-signed P-256 certificate made in process (OpenSSL's API, so it
// works natively and under Wine without the openssl tool), for the TLS unit tests and the TLS
// handshake benchmark. `extra` is appended under tls_server_config (two-space indented lines).
#pragma once

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace rras::testing {

inline std::string writeSelfSignedWebConfig(const std::filesystem::path& dir, const std::string& extra = "") {
  std::filesystem::create_directories(dir);
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), 86400);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509_sign(cert, key, EVP_sha256());
  const std::string cert_path = (dir / "cert.pem").string();
  const std::string key_path = (dir / "key.pem").string();
  if (FILE* f = std::fopen(cert_path.c_str(), "w")) {
    PEM_write_X509(f, cert);
    std::fclose(f);
  }
  if (FILE* f = std::fopen(key_path.c_str(), "w")) {
    PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
    std::fclose(f);
  }
  X509_free(cert);
  EVP_PKEY_free(key);
  const std::string web = (dir / "web.yml").string();
  std::ofstream(web) << "tls_server_config:\n  cert_file: " << cert_path << "\n  key_file: " << key_path << "\n"
                     << extra;
  return web;
}

}  // namespace rras::testing
