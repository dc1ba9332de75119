// SPDX-License-Identifier: Apache-2.0
#include <catch2/catch.hpp>

#include "runtime/value.hpp"
#include "../helpers.hpp"

using pol::runtime::Value;
using pol::test::json;

TEST_CASE("JSON values and their positions", "[json]") {
  const auto loaded = json("{\n  \"kind\": \"Pod\",\n  \"n\": [1, -2, 2.5, true, null, \"\\u00e9\"]\n}");
  REQUIRE(loaded.errors.empty());
  const Value v = Value::node(loaded.documents.at(0).root);
  CHECK(v.get("kind").as_string() == "Pod");
  const Value n = v.get("n");
  CHECK(n.at(0).as_int() == 1);
  CHECK(n.at(1).as_int() == -2);
  CHECK(n.at(2).as_float() == 2.5);
  CHECK(n.at(3).as_bool());
  CHECK(n.at(4).is_null());
  CHECK(n.at(5).as_string() == "é");
  CHECK(n.document_node()->line == 3);
  CHECK(n.document_node()->column == 8);
  CHECK(n.at(2).document_node()->column == 16);
}

TEST_CASE("a top-level array and concatenated values are streams of documents", "[json]") {
  const auto array = json(R"([{"a": 1}, {"a": 2}])");
  REQUIRE(array.documents.size() == 2);
  CHECK(array.documents[1].index == 1);
  const auto many = json("{\"a\": 1}\n{\"a\": 2}\n");
  REQUIRE(many.documents.size() == 2);
}

TEST_CASE("malformed JSON is an error with a position", "[json]") {
  const auto loaded = json("{\"a\": 1,\n \"b\": }\n");
  REQUIRE(loaded.errors.size() == 1);
  CHECK_THAT(loaded.errors[0].message, Catch::StartsWith("invalid JSON"));
  CHECK(loaded.errors[0].line >= 1);
}

TEST_CASE("deep JSON nesting stops at the limit", "[json]") {
  const auto loaded = json(std::string(300, '[') + std::string(300, ']'));
  REQUIRE(loaded.errors.size() == 1);
  CHECK_THAT(loaded.errors[0].message, Catch::Contains("nesting deeper than 256 levels"));
}

TEST_CASE("a bare word that is not null is an error, not an exception (fuzz finding J1)", "[json]") {
  for (const char* text : {"[n\f", "[nope]", "{\"a\": nul}", "[t]", "[fals]"}) {
    pol::runtime::LoadResult loaded;
    REQUIRE_NOTHROW(loaded = json(text));
    CHECK(loaded.errors.size() == 1);
  }
}

TEST_CASE("strings and keys are views of the text unless escaped", "[json]") {
  const auto loaded = json(R"({"plain": "text", "a\"b": "x\\y", "e\u00e9": "\"", "": "", "k": "tail\\"})");
  REQUIRE(loaded.errors.empty());
  const pol::runtime::Document& document = loaded.documents.at(0);
  const Value v = Value::node(document.root);
  const std::string_view text = document.source->text();
  const auto in_text = [&](std::string_view s) { return s.data() >= text.data() && s.data() < text.data() + text.size(); };
  CHECK(v.get("plain").as_string() == "text");
  CHECK(in_text(v.get("plain").as_string()));
  CHECK(in_text(v.key_at(0)));
  CHECK(v.key_at(1) == "a\"b");
  CHECK(!in_text(v.key_at(1)));
  CHECK(v.get("a\"b").as_string() == "x\\y");
  CHECK(!in_text(v.get("a\"b").as_string()));
  CHECK(v.get("eé").as_string() == "\"");
  CHECK(v.get("").as_string().empty());
  CHECK(v.get("k").as_string() == "tail\\");
  CHECK(v.size() == 5);
}

TEST_CASE("keys of every length, with an escape anywhere or none, read as written", "[json]") {
  // Keys are read from the text eight bytes at a time: a quote or backslash at each place in a
  // word, and keys that end at each place, must all come out right.
  for (size_t length = 0; length <= 20; ++length) {
    for (size_t escape = 0; escape <= length; ++escape) {  // escape == length: none
      std::string key, written;
      for (size_t i = 0; i < length; ++i) {
        const char c = static_cast<char>('a' + i);
        key += i == escape ? '"' : c;
        written += i == escape ? std::string("\\\"") : std::string(1, c);
      }
      CAPTURE(length, escape, written);
      const auto loaded = json("{\"" + written + "\": 1, \"z\": \"" + written + "\"}");
      REQUIRE(loaded.errors.empty());
      const Value v = Value::node(loaded.documents.at(0).root);
      CHECK(v.key_at(0) == key);
      CHECK(v.get("z").as_string() == key);
      CHECK(v.get(key).as_int() == 1);
    }
  }
  // A key spelled with an escape is the same key: a duplicate.
  const auto duplicate = json(R"({"a": 1, "\u0061": 2})");
  REQUIRE(duplicate.errors.size() == 1);
  CHECK_THAT(duplicate.errors[0].message, Catch::Contains("duplicate key \"a\""));
}

TEST_CASE("JSON positions count characters across lines, tabs and UTF-8", "[json]") {
  // Every value's line and column, against lang::Source's own count (its line index).
  const std::string text = "{\"a\": [1,\t2, \"é\u00e9\", {\"b\":\r\n  true}],\n\"ü\": \"x\", \"c\": [null,\r3]}";
  const auto loaded = json(text);
  REQUIRE(loaded.errors.empty());
  const pol::runtime::Document& document = loaded.documents.at(0);
  std::vector<const pol::runtime::Node*> pending{document.root};
  size_t checked = 0;
  while (!pending.empty()) {
    const pol::runtime::Node* node = pending.back();
    pending.pop_back();
    // The node's text starts with its first character: find it from the position.
    const uint32_t offset = document.source->offset({node->line, node->column});
    CAPTURE(node->line, node->column, offset);
    const char first = text.at(offset);
    switch (node->kind) {
      case pol::runtime::NodeKind::Map: CHECK(first == '{'); break;
      case pol::runtime::NodeKind::List: CHECK(first == '['); break;
      case pol::runtime::NodeKind::String: CHECK(first == '"'); break;
      case pol::runtime::NodeKind::Bool: CHECK(first == 't'); break;
      case pol::runtime::NodeKind::Null: CHECK(first == 'n'); break;
      default: CHECK(std::to_string(node->integer) == std::string(1, first)); break;
    }
    ++checked;
    if (node->kind == pol::runtime::NodeKind::Map) {
      for (uint32_t i = 0; i < node->size; ++i) pending.push_back(&node->members[i].value);
    } else if (node->kind == pol::runtime::NodeKind::List) {
      for (uint32_t i = 0; i < node->size; ++i) pending.push_back(&node->items[i]);
    }
  }
  CHECK(checked == 11);
  const Value v = Value::node(document.root);
  CHECK(v.get("ü").document_node()->line == 3);
  CHECK(v.get("ü").document_node()->column == 6);  // characters, not bytes
  CHECK(v.get("c").at(1).document_node()->line == 4);  // a lone \r ends a line
}

TEST_CASE("a JSON stream is cut between values, and only where it can be", "[json]") {
  using pol::runtime::split_json_stream;
  const auto split = [](std::string text, size_t part_bytes = 1) {
    return split_json_stream(pol::lang::Source("t.json", std::move(text)), part_bytes);
  };
  // An array's items, strings with brackets, quotes and backslashes stepped over.
  const std::string items = R"( [{"a": "]\"}\\"}, 12, "x,]", {"b": [1, {"c": 2}]} , null] )";
  const auto cut = split(items);
  CHECK(cut.items);
  REQUIRE(cut.parts.size() == 5);
  std::vector<std::string> values;
  for (const auto& part : cut.parts) values.push_back(items.substr(part[0].begin, part[0].end - part[0].begin));
  CHECK(values == std::vector<std::string>{R"({"a": "]\"}\\"})", "12", R"("x,]")", R"({"b": [1, {"c": 2}]})", "null"});
  CHECK(split(items, 1000).parts.size() == 1);  // one part of all five
  // A stream of objects.
  const auto objects = split("{\"a\": 1}\n{\"b\": \"}\"}\n\n{}");
  CHECK_FALSE(objects.items);
  CHECK(objects.parts.size() == 3);
  // What is not one of those shapes is read whole (the reader then says what is wrong).
  for (const char* text : {R"([{"a": 1} {"b": 2}])", "[1,]", "[,1]", "[1] x", "[1", R"([{"a": "]})", "{} 1", "[]", "  "}) {
    CAPTURE(text);
    CHECK(split(text).parts.empty());
  }
}
