// SPDX-License-Identifier: Apache-2.0
#include "lsp/server.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <map>

#include "lsp/analysis.hpp"
#include "lsp/protocol.hpp"
#include "pol/pol.hpp"

namespace pol::lsp {

namespace {

using simdjson::dom::element;

std::string_view string_at(element node, std::string_view pointer) {
  std::string_view value;
  return node.at_pointer(pointer).get(value) == simdjson::SUCCESS ? value : std::string_view();
}

Position position_at(element params) {
  uint64_t line = 0;
  uint64_t character = 0;
  if (params.at_pointer("/position/line").get(line) != simdjson::SUCCESS) line = 0;
  if (params.at_pointer("/position/character").get(character) != simdjson::SUCCESS) character = 0;
  return {static_cast<uint32_t>(line), static_cast<uint32_t>(character)};
}

// What a message without params is read as (an element must belong to a document).
element empty_object() {
  static simdjson::dom::parser parser;
  static const element empty = parser.parse(std::string_view("{}")).value_unsafe();
  return empty;
}

class Server {
 public:
  explicit Server(std::ostream& out) : out_(out) {}

  // False once `exit` is received.
  bool handle(std::string_view message) {
    element request;  // valid until the next message: parser_'s buffers are reused
    if (parser_.parse(message.data(), message.size()).get(request) != simdjson::SUCCESS) {
      respond_error("null", -32700, "the message is not JSON");
      return true;
    }
    const std::string_view method = string_at(request, "/method");
    element id_node;
    const bool is_request = request["id"].get(id_node) == simdjson::SUCCESS;
    const std::string id = is_request ? simdjson::minify(id_node) : "null";
    element params;
    if (request["params"].get(params) != simdjson::SUCCESS) params = empty_object();
    if (method == "exit") return false;
    if (is_request && shut_down_ && method != "shutdown") {
      respond_error(id, -32600, "the server is shut down");
    } else if (method == "initialize") {
      respond(id, fmt::format(R"({{"capabilities": {{"textDocumentSync": {{"openClose": true, "change": 1}},
        "hoverProvider": true, "definitionProvider": true,
        "completionProvider": {{"triggerCharacters": ["."]}}, "documentFormattingProvider": true}},
        "serverInfo": {{"name": "pol", "version": {}}}}})",
                              json_string(version())));
    } else if (method == "shutdown") {
      shut_down_ = true;
      respond(id, "null");
    } else if (method == "textDocument/didOpen") {
      update(string_at(params, "/textDocument/uri"), std::string(string_at(params, "/textDocument/text")));
    } else if (method == "textDocument/didChange") {
      simdjson::dom::array changes;
      if (params["contentChanges"].get(changes) == simdjson::SUCCESS && changes.size() > 0) {
        element last;
        if (changes.at(changes.size() - 1).get(last) == simdjson::SUCCESS) {
          update(string_at(params, "/textDocument/uri"), std::string(string_at(last, "/text")));
        }
      }
    } else if (method == "textDocument/didClose") {
      const std::string uri(string_at(params, "/textDocument/uri"));
      documents_.erase(uri);
      notify("textDocument/publishDiagnostics", fmt::format(R"({{"uri": {}, "diagnostics": []}})", json_string(uri)));
    } else if (method == "textDocument/hover") {
      respond(id, hover_result(params));
    } else if (method == "textDocument/definition") {
      respond(id, definition_result(params));
    } else if (method == "textDocument/completion") {
      respond(id, completion_result(params));
    } else if (method == "textDocument/formatting") {
      respond(id, formatting_result(params));
    } else if (is_request) {
      respond_error(id, -32601, fmt::format("pol lsp does not serve {}", method));
    }
    return true;  // other notifications (initialized, $/cancelRequest, ...) need no answer
  }

  bool shut_down() const { return shut_down_; }

 private:
  struct Document {
    std::string path;
    std::unique_ptr<Analysis> analysis;
  };

  void respond(const std::string& id, std::string_view result) {
    write_message(out_, fmt::format(R"({{"jsonrpc": "2.0", "id": {}, "result": {}}})", id, result));
  }
  void respond_error(const std::string& id, int code, std::string_view message) {
    write_message(out_, fmt::format(R"({{"jsonrpc": "2.0", "id": {}, "error": {{"code": {}, "message": {}}}}})", id, code,
                                    json_string(message)));
  }
  void notify(std::string_view method, std::string_view params) {
    write_message(out_, fmt::format(R"({{"jsonrpc": "2.0", "method": "{}", "params": {}}})", method, params));
  }

  const Document* document(element params) const {
    const auto it = documents_.find(std::string(string_at(params, "/textDocument/uri")));
    return it == documents_.end() ? nullptr : &it->second;
  }

  void update(std::string_view uri, std::string text) {
    Document& document = documents_[std::string(uri)];
    document.path = uri_to_path(uri);
    document.analysis = analyze(document.path, std::move(text));
    publish(uri, *document.analysis);
  }

  // The document's own diagnostics at their places; those of the files it imports at its start.
  void publish(std::string_view uri, const Analysis& analysis) {
    const std::string_view text = analysis.source->text();
    std::vector<std::string> items;
    for (const lang::Diagnostic& d : analysis.diagnostics.items()) {
      std::string message = d.message;
      for (const std::string& note : d.notes) message += "\nnote: " + note;
      std::string range = range_json(text, 0, 0);
      if (d.source == analysis.source) {
        range = range_json(text, d.span.begin, d.span.end);
      } else if (d.source) {
        const lang::LineColumn at = d.location();
        message = fmt::format("{}:{}:{}: {}", d.source->name(), at.line, at.column, message);
      }
      items.push_back(fmt::format(R"({{"range": {}, "severity": {}, "source": "pol", "message": {}}})", range,
                                  d.severity == lang::Severity::Error ? 1 : d.severity == lang::Severity::Warning ? 2 : 3,
                                  json_string(message)));
    }
    notify("textDocument/publishDiagnostics", fmt::format(R"({{"uri": {}, "diagnostics": [{}]}})", json_string(uri),
                                                          fmt::join(items, ", ")));
  }

  std::string hover_result(element params) const {
    const Document* doc = document(params);
    if (!doc) return "null";
    const Analysis& analysis = *doc->analysis;
    const uint32_t offset = offset_of(analysis.source->text(), position_at(params));
    const std::optional<std::string> text = hover(analysis, offset);
    if (!text) return "null";
    return fmt::format(R"({{"contents": {{"kind": "markdown", "value": {}}}}})", json_string(*text));
  }

  std::string definition_result(element params) const {
    const Document* doc = document(params);
    if (!doc) return "null";
    const Analysis& analysis = *doc->analysis;
    const std::optional<Target> target =
        definition(analysis, offset_of(analysis.source->text(), position_at(params)));
    if (!target) return "null";
    const std::string range = target->source ? range_json(target->source->text(), target->span.begin, target->span.end)
                                             : range_json("", 0, 0);
    return fmt::format(R"({{"uri": {}, "range": {}}})", json_string(path_to_uri(target->path)), range);
  }

  std::string completion_result(element params) const {
    const Document* doc = document(params);
    if (!doc) return "[]";
    const std::string_view text = doc->analysis->source->text();
    std::vector<std::string> items;
    for (const Completion& c : complete(doc->path, text, offset_of(text, position_at(params)))) {
      items.push_back(fmt::format(R"({{"label": {}, "kind": {}, "detail": {}, "documentation": {}}})",
                                  json_string(c.label), c.kind, json_string(c.detail), json_string(c.documentation)));
    }
    return fmt::format("[{}]", fmt::join(items, ", "));
  }

  // One edit replacing the whole text, or none when it is formatted or does not parse.
  std::string formatting_result(element params) const {
    const Document* doc = document(params);
    if (!doc) return "null";
    const std::string_view text = doc->analysis->source->text();
    const Formatted formatted = format_policy(text, doc->path);
    if (!formatted.text || *formatted.text == text) return "[]";
    return fmt::format(R"([{{"range": {}, "newText": {}}}])", range_json(text, 0, static_cast<uint32_t>(text.size())),
                       json_string(*formatted.text));
  }

  std::ostream& out_;
  simdjson::dom::parser parser_;
  std::map<std::string, Document> documents_;
  bool shut_down_ = false;
};

}  // namespace

int serve(std::istream& in, std::ostream& out) {
  Server server(out);
  while (const std::optional<std::string> message = read_message(in)) {
    if (!server.handle(*message)) return server.shut_down() ? 0 : 1;
  }
  return 1;  // the input ended without `exit`
}

}  // namespace pol::lsp
