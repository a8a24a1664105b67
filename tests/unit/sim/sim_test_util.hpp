// Helpers for the simulator unit tests.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "hpaio/xml/xml_tree.hpp"
#include "tests/sim/core/http_message.hpp"
#include "tests/sim/core/profiles.hpp"
#include "tests/sim/core/sim_config.hpp"

namespace simtest {

inline hpsim::Request req(std::string method, std::string target, std::string body = {},
                          std::vector<hpsim::Header> headers = {{"Host", "127.0.0.1:8080"}}) {
  hpsim::Request r;
  r.method = std::move(method);
  r.target = target;
  r.version = "HTTP/1.1";
  const auto q = target.find('?');
  std::string t = target.substr(0, q);
  if (t.starts_with("http://")) t = t.substr(t.find('/', 7));
  r.path = t;
  r.headers = std::move(headers);
  r.body = std::move(body);
  return r;
}

inline hpsim::SimConfig config(const std::string& profile, int pages = 3) {
  hpsim::SimConfig c;
  const hpsim::Profile* p = hpsim::find_profile(profile);
  EXPECT_NE(p, nullptr) << profile;
  if (p != nullptr) c.profile = *p;
  c.pages = pages;
  return c;
}

inline hpaio::xml::Element parse_xml(const std::string& body) {
  std::string err;
  auto e = hpaio::xml::try_parse(body, &err);
  EXPECT_TRUE(e.has_value()) << err << "\n" << body.substr(0, 400);
  return e ? *e : hpaio::xml::parse("<empty/>");
}

}  // namespace simtest
