// GPGME loaded at run time: the bound functions work (the GPG tests exercise them in full).
#include "moat/sign/gpgme_api.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

TEST(GpgmeApi, LoadedFunctionsMakeAnOpenPgpContext) {
  const auto loaded = moat::sign::load_gpgme();
  ASSERT_TRUE(loaded.has_value()) << loaded.error().to_string();
  const moat::sign::Gpgme& api = **loaded;
  EXPECT_EQ(std::string(api.strerror(GPG_ERR_NO_ERROR)), "Success");
  gpgme_ctx_t context = nullptr;
  ASSERT_EQ(api.new_context(&context), 0);
  EXPECT_EQ(api.set_protocol(context, GPGME_PROTOCOL_OpenPGP), 0);
  api.release(context);
  const auto again = moat::sign::load_gpgme();
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, *loaded);
}

}  // namespace
