// SPDX-License-Identifier: Apache-2.0
#include "runtime/program.hpp"

#include <algorithm>
#include <charconv>
#include <fmt/format.h>

namespace pol::runtime {

std::string Profile::label() const {
  const char* name = level == Level::Privileged ? "privileged" : level == Level::Baseline ? "baseline" : "restricted";
  if (version.is_latest()) return fmt::format("{}:latest", name);
  return fmt::format("{}:v{}.{}", name, version.major, version.minor);
}

std::optional<Profile> parse_profile(std::string_view text) {
  Profile profile;
  const auto colon = text.find(':');
  const std::string_view level = text.substr(0, colon);
  if (level == "privileged") profile.level = Level::Privileged;
  else if (level == "baseline") profile.level = Level::Baseline;
  else if (level == "restricted") profile.level = Level::Restricted;
  else return std::nullopt;
  if (colon == std::string_view::npos) return profile;
  const std::string_view version = text.substr(colon + 1);
  if (version == "latest") return profile;
  // v1.N, N decimal without leading zeros (as Pod Security Admission parses it)
  if (version.size() < 4 || version.substr(0, 3) != "v1." ) return std::nullopt;
  const std::string_view minor = version.substr(3);
  if ((minor.size() > 1 && minor[0] == '0') || minor[0] < '0' || minor[0] > '9') return std::nullopt;
  int value = 0;
  const auto [end, ec] = std::from_chars(minor.data(), minor.data() + minor.size(), value);
  if (ec != std::errc() || end != minor.data() + minor.size()) return std::nullopt;
  profile.version = {1, value};
  return profile;
}

void Program::seal() {
  for (Expr& expr : exprs_) {
    expr.constant.freeze(frozen_.heaps);
    expr.key_shapes.clear();
    for (const std::string& key : expr.keys) expr.key_shapes.push_back(Member::shape(key));
  }
  for (Grant& grant : grants) {
    if (grant.row) grant.row->freeze(frozen_.heaps);
  }
}

std::vector<const Check*> Program::plan(const Profile& profile) const {
  std::vector<const Check*> running;
  for (const Check& check : checks) {
    if (check.level && *check.level > profile.level) continue;
    if (profile.version < check.since || check.until < profile.version) continue;
    running.push_back(&check);
  }
  std::vector<const Check*> result;
  for (const Check* check : running) {
    const bool replaced = std::any_of(running.begin(), running.end(), [&](const Check* other) {
      return std::find(other->replaces.begin(), other->replaces.end(), check->id) != other->replaces.end();
    });
    if (!replaced) result.push_back(check);
  }
  return result;
}

}  // namespace pol::runtime
