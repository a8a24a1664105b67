// The probe plan: the order of protocols and ports for opening and for describing a device, when
// the DiscoveryTree is asked, and when a probe gives up.
#include "backend/scan/probe_plan.hpp"

#include <gtest/gtest.h>

using namespace hpaio::backend;
using hpaio::models::ScanType;

namespace {

const ProbeStep ledm{ScanProtocol::ledm, 8080, false, {}};
const ProbeStep escl8080{ScanProtocol::escl, 8080, false, {}};
const ProbeStep escl80{ScanProtocol::escl, 80, false, {}};
const ProbeStep escl443{ScanProtocol::escl, 443, true, {}};
const ProbeStep wsd3911{ScanProtocol::wsd, 3911, false, "/scanner"};
const ProbeStep wsd53048{ScanProtocol::wsd, 53048, false, "/"};

using Steps = std::vector<ProbeStep>;

constexpr ProbePurpose open = ProbePurpose::open;
constexpr ProbePurpose describe = ProbePurpose::describe;

}  // namespace

TEST(ProbePlan, Names) {
  EXPECT_EQ(protocol_name(ScanProtocol::ledm), "LEDM");
  EXPECT_EQ(protocol_name(ScanProtocol::escl), "eSCL");
  EXPECT_EQ(protocol_name(ScanProtocol::wsd), "WS-Scan");
}

TEST(ProbePlan, OpenAsksTheTreeOnlyWhenModelsDatDoesNotNameAProtocol) {
  EXPECT_FALSE(asks_discovery_tree(open, ScanType::Ledm));
  EXPECT_FALSE(asks_discovery_tree(open, ScanType::Escl));
  EXPECT_TRUE(asks_discovery_tree(open, std::nullopt));
  EXPECT_TRUE(asks_discovery_tree(open, ScanType::Soap));
  EXPECT_TRUE(asks_discovery_tree(open, ScanType::NotSupported));
}

TEST(ProbePlan, DescribeAlwaysAsksTheTree) {
  EXPECT_TRUE(asks_discovery_tree(describe, std::nullopt));
  EXPECT_TRUE(asks_discovery_tree(describe, ScanType::Ledm));
  EXPECT_TRUE(asks_discovery_tree(describe, ScanType::Escl));
}

TEST(ProbePlan, OpenFollowsModelsDat) {
  EXPECT_EQ(probe_plan(open, ScanType::Ledm, std::nullopt), (Steps{ledm, escl8080, escl80, escl443}));
  EXPECT_EQ(probe_plan(open, ScanType::Escl, std::nullopt), (Steps{escl8080, escl80, escl443, ledm}));
  // models.dat wins over a tree (none is asked then).
  EXPECT_EQ(probe_plan(open, ScanType::Escl, TreeHints{true, false}), (Steps{escl8080, escl80, escl443, ledm}));
}

TEST(ProbePlan, OpenAnUnknownModelFollowsTheTree) {
  // LEDM first only for a tree that lists LEDM scan and not eSCL; WS-Scan after both (an unknown
  // model may be one HPLIP scans only with HP's plugin).
  EXPECT_EQ(probe_plan(open, std::nullopt, TreeHints{true, false}),
            (Steps{ledm, escl8080, escl80, escl443, wsd3911, wsd53048}));
  const Steps escl_first{escl8080, ledm, escl80, escl443, wsd3911, wsd53048};
  EXPECT_EQ(probe_plan(open, std::nullopt, TreeHints{true, true}), escl_first);
  EXPECT_EQ(probe_plan(open, std::nullopt, TreeHints{false, true}), escl_first);
  EXPECT_EQ(probe_plan(open, std::nullopt, TreeHints{false, false}), escl_first);
  EXPECT_EQ(probe_plan(open, std::nullopt, std::nullopt), escl_first);
  // A plugin model (SOAPHT, MARVELL, MARVELL2) is asked eSCL, LEDM, then WS-Scan, in that order.
  EXPECT_EQ(probe_plan(open, ScanType::SoapHt, std::nullopt), escl_first);
  EXPECT_EQ(probe_plan(open, ScanType::Marvell, std::nullopt), escl_first);
  EXPECT_EQ(probe_plan(open, ScanType::Marvell2, TreeHints{true, false}),
            (Steps{ledm, escl8080, escl80, escl443, wsd3911, wsd53048}));
  // Another scan-type (SCL, PML, SOAP: USB-era protocols) is not asked WS-Scan: HPLIP's own backend
  // serves those.
  EXPECT_EQ(probe_plan(open, ScanType::Soap, TreeHints{true, false}), (Steps{ledm, escl8080, escl80, escl443}));
  EXPECT_EQ(probe_plan(open, ScanType::Scl, std::nullopt), (Steps{escl8080, ledm, escl80, escl443}));
}

TEST(ProbePlan, DescribeTriesWhatTheTreeAllows) {
  const Steps escl_only{escl8080, escl80, escl443};
  EXPECT_EQ(probe_plan(describe, std::nullopt, TreeHints{true, false}), (Steps{ledm}));
  EXPECT_EQ(probe_plan(describe, std::nullopt, TreeHints{true, true}), (Steps{ledm, escl8080, escl80, escl443}));
  EXPECT_EQ(probe_plan(describe, std::nullopt, TreeHints{false, true}), escl_only);
  EXPECT_EQ(probe_plan(describe, std::nullopt, TreeHints{false, false}), escl_only);
  EXPECT_EQ(probe_plan(describe, std::nullopt, std::nullopt), escl_only);
  // models.dat is not used to describe.
  EXPECT_EQ(probe_plan(describe, ScanType::Ledm, std::nullopt), escl_only);
}

TEST(ProbePlan, EveryPlanTriesEachStepOnce) {
  for (ProbePurpose p : {open, describe}) {
    for (auto type : {std::optional<ScanType>{}, std::optional{ScanType::Ledm}, std::optional{ScanType::Escl}}) {
      for (auto tree : {std::optional<TreeHints>{}, std::optional{TreeHints{true, false}},
                        std::optional{TreeHints{true, true}}, std::optional{TreeHints{false, true}}}) {
        const Steps steps = probe_plan(p, type, tree);
        EXPECT_FALSE(steps.empty());
        for (std::size_t i = 0; i < steps.size(); ++i) {
          for (std::size_t j = i + 1; j < steps.size(); ++j) EXPECT_FALSE(steps[i] == steps[j]);
        }
      }
    }
  }
}

TEST(ProbePlan, ACancelEndsEveryProbe) {
  for (ProbePurpose p : {open, describe}) {
    EXPECT_FALSE(probe_goes_on(p, ProbeEnd::cancelled, false));
    EXPECT_FALSE(probe_goes_on(p, ProbeEnd::cancelled, true));
  }
}

TEST(ProbePlan, ATimeoutEndsAnOpenOnlyOfAHostThatHasNotAnswered) {
  EXPECT_FALSE(probe_goes_on(open, ProbeEnd::timed_out, false));
  EXPECT_TRUE(probe_goes_on(open, ProbeEnd::timed_out, true));
}

TEST(ProbePlan, ATimeoutEndsADescription) {
  EXPECT_FALSE(probe_goes_on(describe, ProbeEnd::timed_out, false));
  EXPECT_FALSE(probe_goes_on(describe, ProbeEnd::timed_out, true));
}

TEST(ProbePlan, RefusalsAndAnswersGoOn) {
  for (ProbePurpose p : {open, describe}) {
    for (bool answered : {false, true}) {
      EXPECT_TRUE(probe_goes_on(p, ProbeEnd::refused, answered));
      EXPECT_TRUE(probe_goes_on(p, ProbeEnd::answered, answered));
    }
  }
}
