#include "moat/sign/timestamp.hpp"

#include <openssl/err.h>
#include <openssl/ts.h>

#include <memory>

namespace moat::sign {

namespace {

struct RespFree {
  void operator()(TS_RESP* response) const { TS_RESP_free(response); }
};
struct VerifyCtxFree {
  void operator()(TS_VERIFY_CTX* context) const { TS_VERIFY_CTX_free(context); }
};

Result<std::int64_t> generalized_time(const ASN1_GENERALIZEDTIME* time) {
  std::tm parts{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &parts) != 1) return fail("timestamp", "malformed genTime");
  return static_cast<std::int64_t>(timegm(&parts));
}

}  // namespace

Result<std::int64_t> verify_rfc3161_timestamp(std::string_view response_der, std::string_view signature,
                                              const TrustedRoot& root) {
  const auto* cursor = reinterpret_cast<const unsigned char*>(response_der.data());
  std::unique_ptr<TS_RESP, RespFree> response(d2i_TS_RESP(nullptr, &cursor, static_cast<long>(response_der.size())));
  if (!response || cursor != reinterpret_cast<const unsigned char*>(response_der.data() + response_der.size())) {
    ERR_clear_error();
    return fail("timestamp", "not a DER RFC 3161 TimeStampResp");
  }
  TS_TST_INFO* info = TS_RESP_get_tst_info(response.get());
  if (info == nullptr) return fail("timestamp", "the response holds no timestamp token");
  auto time = generalized_time(TS_TST_INFO_get_time(info));
  if (!time) return std::unexpected(time.error());

  std::string last_error = "no timestamp authority in the trusted root is valid at " + format_utc(*time);
  for (const CertificateAuthority& authority : root.timestamp_authorities) {
    if (!authority.validity.contains(*time)) continue;
    std::unique_ptr<TS_VERIFY_CTX, VerifyCtxFree> context(TS_VERIFY_CTX_new());
    X509_STORE* store = X509_STORE_new();
    X509_STORE_add_cert(store, authority.chain.back().get());
    X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store), static_cast<time_t>(*time));
    TS_VERIFY_CTX_set_store(context.get(), store);
    STACK_OF(X509)* untrusted = sk_X509_new_null();
    for (std::size_t index = 0; index + 1 < authority.chain.size(); ++index) {
      X509_up_ref(authority.chain[index].get());
      sk_X509_push(untrusted, authority.chain[index].get());
    }
    TS_VERIFY_CTX_set_certs(context.get(), untrusted);
    BIO* data = BIO_new_mem_buf(signature.data(), static_cast<int>(signature.size()));
    TS_VERIFY_CTX_set_data(context.get(), data);
    TS_VERIFY_CTX_set_flags(context.get(), TS_VFY_VERSION | TS_VFY_SIGNATURE | TS_VFY_DATA | TS_VFY_SIGNER);
    if (TS_RESP_verify_response(context.get(), response.get()) == 1) {
      ERR_clear_error();
      return *time;
    }
    last_error = "the RFC 3161 timestamp does not verify against " + authority.uri + ": " + openssl_error();
  }
  return fail("timestamp", last_error);
}

}  // namespace moat::sign
