#include "tests/sim/server/tls_identity.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <boost/asio/ssl/context.hpp>
#include <fstream>
#include <functional>
#include <sstream>
#include <stdexcept>

namespace hpsim {

namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using PKey = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using Ext = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;

[[noreturn]] void fail(const std::string& what) {
  const unsigned long e = ERR_get_error();
  char buf[256] = {};
  if (e != 0) ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  throw std::runtime_error(what + (e != 0 ? std::string(": ") + buf : std::string()));
}

void add_extension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  Ext ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) fail("cannot add certificate extension " + value);
}

std::string to_pem(const std::function<int(BIO*)>& write) {
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || write(bio.get()) != 1) fail("cannot write PEM");
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

std::string read_file(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  if (!in || s.str().empty()) throw std::runtime_error(std::string("cannot read ") + what + " " + path);
  return s.str();
}

}  // namespace

TlsIdentity make_self_signed_identity(const std::string& common_name,
                                      const std::vector<boost::asio::ip::address>& addresses) {
  PKey key(EVP_EC_gen("P-256"));
  if (!key) fail("cannot make an EC P-256 key");
  Cert cert(X509_new());
  if (!cert) fail("X509_new");
  X509_set_version(cert.get(), 2);  // v3: extensions
  // A random positive serial number, so that clients caching certificates by issuer+serial do not mix runs.
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1) fail("RAND_bytes");
  serial[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  if (bn == nullptr || BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get())) == nullptr) {
    BN_free(bn);
    fail("certificate serial number");
  }
  BN_free(bn);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 10L * 365 * 24 * 3600);
  X509_NAME* name = X509_get_subject_name(cert.get());
  const std::string cn = common_name.empty() ? std::string("hpaio-sim") : common_name.substr(0, 64);
  if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1,
                                 0) != 1) {
    fail("certificate subject CN=" + cn);
  }
  X509_set_issuer_name(cert.get(), name);
  X509_set_pubkey(cert.get(), key.get());
  std::string san = "DNS:localhost";
  for (const auto& a : addresses) san += ",IP:" + a.to_string();
  add_extension(cert.get(), NID_subject_alt_name, san);
  add_extension(cert.get(), NID_basic_constraints, "critical,CA:FALSE");
  add_extension(cert.get(), NID_key_usage, "critical,digitalSignature");
  add_extension(cert.get(), NID_ext_key_usage, "serverAuth");
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) fail("cannot sign the certificate");
  TlsIdentity id;
  id.cert_pem = to_pem([&](BIO* b) { return PEM_write_bio_X509(b, cert.get()); });
  id.key_pem =
      to_pem([&](BIO* b) { return PEM_write_bio_PrivateKey(b, key.get(), nullptr, nullptr, 0, nullptr, nullptr); });
  return id;
}

TlsIdentity read_identity_files(const std::string& cert_file, const std::string& key_file) {
  return TlsIdentity{read_file(cert_file, "--tls-cert"), read_file(key_file, "--tls-key")};
}

std::shared_ptr<boost::asio::ssl::context> make_server_tls_context(const TlsIdentity& identity) {
  namespace ssl = boost::asio::ssl;
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                   ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  boost::system::error_code ec;
  ctx->use_certificate_chain(boost::asio::buffer(identity.cert_pem), ec);
  if (ec) throw std::runtime_error("unusable certificate: " + ec.message());
  ctx->use_private_key(boost::asio::buffer(identity.key_pem), ssl::context::pem, ec);
  if (ec) throw std::runtime_error("unusable private key: " + ec.message());
  if (SSL_CTX_check_private_key(ctx->native_handle()) != 1) fail("the private key does not match the certificate");
  return ctx;
}

}  // namespace hpsim
