// SPDX-License-Identifier: Apache-2.0
#include "cli/diff.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace pol::cli {

namespace {

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    lines.push_back(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  }
  return lines;
}

enum class Edit { Keep, Remove, Add };

// The shortest edit script from a to b (Myers 1986: furthest-reaching paths per diagonal, kept
// per step so the path can be walked back).
std::vector<Edit> edit_script(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  const auto n = static_cast<long>(a.size());
  const auto m = static_cast<long>(b.size());
  const long max = n + m;
  std::vector<long> v(static_cast<size_t>(2 * max + 2), 0);
  std::vector<std::vector<long>> trace;
  const auto at = [&](std::vector<long>& row, long k) -> long& { return row[static_cast<size_t>(k + max + 1)]; };
  for (long d = 0; d <= max; ++d) {
    trace.push_back(v);
    for (long k = -d; k <= d; k += 2) {
      long x = (k == -d || (k != d && at(v, k - 1) < at(v, k + 1))) ? at(v, k + 1) : at(v, k - 1) + 1;
      long y = x - k;
      while (x < n && y < m && a[static_cast<size_t>(x)] == b[static_cast<size_t>(y)]) ++x, ++y;
      at(v, k) = x;
      if (x >= n && y >= m) {
        std::vector<Edit> edits;
        for (long back = d; back > 0 || x > 0 || y > 0; --back) {
          std::vector<long>& row = trace[static_cast<size_t>(back)];
          const long kk = x - y;
          if (back == 0) {  // only the snake from (0, 0) is left
            for (; x > 0; --x, --y) edits.push_back(Edit::Keep);
            break;
          }
          const bool down = kk == -back || (kk != back && at(row, kk - 1) < at(row, kk + 1));
          const long prev_k = down ? kk + 1 : kk - 1;
          const long prev_x = at(row, prev_k);
          const long prev_y = prev_x - prev_k;
          for (; x > prev_x && y > prev_y; --x, --y) edits.push_back(Edit::Keep);
          edits.push_back(down ? Edit::Add : Edit::Remove);
          x = prev_x;
          y = prev_y;
        }
        std::reverse(edits.begin(), edits.end());
        return edits;
      }
    }
  }
  return {};
}

}  // namespace

std::string unified_diff(std::string_view before, std::string_view after, std::string_view name) {
  if (before == after) return "";
  const std::vector<std::string_view> a = split_lines(before);
  const std::vector<std::string_view> b = split_lines(after);
  const std::vector<Edit> edits = edit_script(a, b);
  constexpr size_t context = 3;
  std::string out = fmt::format("--- {}\n+++ {}\n", name, name);
  // Hunks: runs of changes with `context` kept lines around, joined when their context touches.
  size_t i = 0;
  while (i < edits.size()) {
    if (edits[i] == Edit::Keep) {
      ++i;
      continue;
    }
    const size_t start = i >= context ? i - context : 0;
    size_t last = i;  // the hunk's last change
    for (size_t e = i + 1; e < edits.size() && e - last <= 2 * context + 1; ++e) {
      if (edits[e] != Edit::Keep) last = e;
    }
    const size_t end = std::min(last + 1 + context, edits.size());
    // Line numbers of the hunk's first line on each side.
    size_t a_line = 0;
    size_t b_line = 0;
    for (size_t e = 0; e < start; ++e) {
      if (edits[e] != Edit::Add) ++a_line;
      if (edits[e] != Edit::Remove) ++b_line;
    }
    std::string body;
    size_t a_count = 0;
    size_t b_count = 0;
    size_t ai = a_line;
    size_t bi = b_line;
    for (size_t e = start; e < end; ++e) {
      if (edits[e] == Edit::Keep) {
        body += fmt::format(" {}\n", a[ai++]);
        ++bi, ++a_count, ++b_count;
      } else if (edits[e] == Edit::Remove) {
        body += fmt::format("-{}\n", a[ai++]);
        ++a_count;
      } else {
        body += fmt::format("+{}\n", b[bi++]);
        ++b_count;
      }
    }
    out += fmt::format("@@ -{},{} +{},{} @@\n", a_count ? a_line + 1 : a_line, a_count, b_count ? b_line + 1 : b_line,
                       b_count);
    out += body;
    i = end;
  }
  return out;
}

}  // namespace pol::cli
