// The certificate and key of hpaio-sim's HTTPS listeners (--https): self-signed and made in memory
// at start-up, as HP devices make their own, or read from --tls-cert / --tls-key.
#pragma once

#include <boost/asio/ip/address.hpp>
#include <memory>
#include <string>
#include <vector>

namespace boost::asio::ssl {
class context;
}

namespace hpsim {

struct TlsIdentity {
  std::string cert_pem;  // the certificate (chain), PEM
  std::string key_pem;   // its private key, PEM
};

// A self-signed certificate over a fresh EC P-256 key: subject CN = common_name, subjectAltName
// IP:<each address> and DNS:localhost, valid from an hour ago for ten years. Throws
// std::runtime_error when OpenSSL fails.
TlsIdentity make_self_signed_identity(const std::string& common_name,
                                      const std::vector<boost::asio::ip::address>& addresses);

// Reads a PEM certificate (chain) and a PEM private key from files; throws std::runtime_error
// naming the file that cannot be read.
TlsIdentity read_identity_files(const std::string& cert_file, const std::string& key_file);

// A TLS server context with this identity (TLS 1.2 and 1.3, OpenSSL's default ciphers at security
// level 1). Throws std::runtime_error when the certificate or key is unusable or they do not match.
std::shared_ptr<boost::asio::ssl::context> make_server_tls_context(const TlsIdentity& identity);

}  // namespace hpsim
