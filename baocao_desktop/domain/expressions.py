"""A safe evaluator for check expressions written in templates.

Templates travel on USB sticks, so an expression must never run anything: it is tokenised and
parsed here (not by Python's eval or ast), may only name the report's fields, has no attribute
access, calls only a short whitelist, and is bounded in length, tokens and depth.

Grammar (decimal point "." inside expressions; references are dotted names of fields):
  expr    := or
  or      := and ("or" and)*
  and     := not ("and" not)*
  not     := "not" not | compare
  compare := sum (("=="|"!="|"<"|"<="|">"|">=") sum)?
  sum     := term (("+"|"-") term)*
  term    := unary (("*"|"/") unary)*
  unary   := "-" unary | atom
  atom    := NUMBER | REF | FUNC "(" [expr ("," expr)*] ")" | "(" expr ")"
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, DivisionByZero, InvalidOperation
from .errors import UserError

MAX_LENGTH = 500
MAX_TOKENS = 200
MAX_DEPTH = 24
MAX_NUMBER_DIGITS = 30
FUNCTIONS = {"sum", "abs", "min", "max", "round"}
KEYWORDS = {"and", "or", "not"}

_TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<number>\d+(?:\.\d+)?)
  | (?P<name>[a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)*)
  | (?P<op>==|!=|<=|>=|[-+*/(),<>])
""", re.VERBOSE)


class ExpressionError(UserError, ValueError):
    """An expression that is not allowed; the message is Vietnamese."""


class MissingValue(Exception):
    """A referenced field has no value (the rule's missing-value policy decides what follows)."""

    def __init__(self, name: str):
        super().__init__(name)
        self.name = name


@dataclass(frozen=True)
class Node:
    kind: str  # num, ref, neg, not, bin, cmp, and, or, call
    value: object = None
    children: tuple = ()


def tokenize(text: str) -> list[tuple[str, str]]:
    if not isinstance(text, str):
        raise ExpressionError("Biểu thức kiểm tra phải là một chuỗi.")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"Biểu thức kiểm tra quá dài ({len(text)} ký tự, tối đa {MAX_LENGTH}).")
    tokens = []
    pos = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match:
            raise ExpressionError(f"Biểu thức “{text}” có ký tự không được phép: “{text[pos]}” (vị trí {pos + 1}).")
        pos = match.end()
        kind = match.lastgroup
        if kind == "space":
            continue
        value = match.group()
        if kind == "number" and len(value) > MAX_NUMBER_DIGITS:
            raise ExpressionError("Số trong biểu thức quá dài.")
        if kind == "name" and value in KEYWORDS:
            kind = "op"
        tokens.append((kind, value))
        if len(tokens) > MAX_TOKENS:
            raise ExpressionError(f"Biểu thức kiểm tra quá phức tạp (hơn {MAX_TOKENS} thành phần).")
    return tokens


class _Parser:
    def __init__(self, text: str, allowed_names):
        self.text = text
        self.tokens = tokenize(text)
        self.pos = 0
        self.allowed = allowed_names
        self.depth = 0

    def fail(self, what: str):
        raise ExpressionError(f"Biểu thức “{self.text}” không hợp lệ: {what}.")

    def peek(self):
        return self.tokens[self.pos] if self.pos < len(self.tokens) else (None, None)

    def take(self, value=None):
        kind, tok = self.peek()
        if kind is None:
            self.fail("kết thúc bất ngờ")
        if value is not None and tok != value:
            self.fail(f"cần “{value}” nhưng gặp “{tok}”")
        self.pos += 1
        return kind, tok

    def nested(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError("Biểu thức kiểm tra lồng nhau quá sâu.")

    def parse(self) -> Node:
        if not self.tokens:
            self.fail("biểu thức trống")
        node = self.or_()
        if self.pos != len(self.tokens):
            self.fail(f"thừa “{self.peek()[1]}”")
        return node

    def or_(self):
        node = self.and_()
        while self.peek()[1] == "or":
            self.take()
            node = Node("or", children=(node, self.and_()))
        return node

    def and_(self):
        node = self.not_()
        while self.peek()[1] == "and":
            self.take()
            node = Node("and", children=(node, self.not_()))
        return node

    def not_(self):
        if self.peek()[1] == "not":
            self.take()
            self.nested()
            node = Node("not", children=(self.not_(),))
            self.depth -= 1
            return node
        return self.compare()

    def compare(self):
        node = self.sum_()
        if self.peek()[1] in ("==", "!=", "<", "<=", ">", ">="):
            _, op = self.take()
            node = Node("cmp", op, (node, self.sum_()))
            if self.peek()[1] in ("==", "!=", "<", "<=", ">", ">="):
                self.fail("không viết nối tiếp nhiều phép so sánh")
        return node

    def sum_(self):
        node = self.term()
        while self.peek()[1] in ("+", "-"):
            _, op = self.take()
            node = Node("bin", op, (node, self.term()))
        return node

    def term(self):
        node = self.unary()
        while self.peek()[1] in ("*", "/"):
            _, op = self.take()
            node = Node("bin", op, (node, self.unary()))
        return node

    def unary(self):
        if self.peek()[1] == "-":
            self.take()
            self.nested()
            node = Node("neg", children=(self.unary(),))
            self.depth -= 1
            return node
        return self.atom()

    def atom(self):
        kind, tok = self.take()
        if kind == "number":
            return Node("num", Decimal(tok))
        if tok == "(":
            self.nested()
            node = self.or_()
            self.take(")")
            self.depth -= 1
            return node
        if kind == "name":
            if self.peek()[1] == "(":
                if tok not in FUNCTIONS:
                    self.fail(f"hàm “{tok}” không được phép (chỉ dùng: {', '.join(sorted(FUNCTIONS))})")
                self.take("(")
                self.nested()
                args = []
                if self.peek()[1] != ")":
                    args.append(self.or_())
                    while self.peek()[1] == ",":
                        self.take()
                        args.append(self.or_())
                self.take(")")
                self.depth -= 1
                if not args:
                    self.fail(f"hàm “{tok}” cần đối số")
                if tok == "round" and (len(args) != 2 or args[1].kind != "num"):
                    self.fail("round(x, n) cần số chữ số thập phân n là một số")
                if tok == "abs" and len(args) != 1:
                    self.fail("abs(x) nhận một đối số")
                return Node("call", tok, tuple(args))
            if tok in FUNCTIONS:
                self.fail(f"hàm “{tok}” phải có dấu ngoặc")
            if self.allowed is not None and tok not in self.allowed:
                self.fail(f"không có trường “{tok}” trong báo cáo")
            return Node("ref", tok)
        self.fail(f"không mong đợi “{tok}”")


def parse_expression(text: str, allowed_names=None) -> Node:
    """Parse and validate; `allowed_names` (a set) limits the references to the report's fields."""
    return _Parser(text, allowed_names).parse()


def references(node: Node) -> set[str]:
    if node.kind == "ref":
        return {node.value}
    found = set()
    for child in node.children:
        found |= references(child)
    return found


def evaluate(node: Node, lookup):
    """Evaluate with exact decimals; `lookup(name)` returns a Decimal or raises MissingValue."""
    kind = node.kind
    if kind == "num":
        return node.value
    if kind == "ref":
        value = lookup(node.value)
        if value is None:
            raise MissingValue(node.value)
        return value
    if kind == "neg":
        return -_number(evaluate(node.children[0], lookup))
    if kind == "not":
        return not _truth(evaluate(node.children[0], lookup))
    if kind == "and":
        return _truth(evaluate(node.children[0], lookup)) and _truth(evaluate(node.children[1], lookup))
    if kind == "or":
        return _truth(evaluate(node.children[0], lookup)) or _truth(evaluate(node.children[1], lookup))
    if kind == "bin":
        a = _number(evaluate(node.children[0], lookup))
        b = _number(evaluate(node.children[1], lookup))
        try:
            if node.value == "+":
                return a + b
            if node.value == "-":
                return a - b
            if node.value == "*":
                return a * b
            if b == 0:
                raise MissingValue("chia cho 0")
            return a / b
        except (InvalidOperation, DivisionByZero, OverflowError):
            raise MissingValue("phép tính vượt giới hạn") from None
    if kind == "cmp":
        a = _number(evaluate(node.children[0], lookup))
        b = _number(evaluate(node.children[1], lookup))
        return {"==": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[node.value]
    if kind == "call":
        args = [_number(evaluate(c, lookup)) for c in node.children]
        if node.value == "sum":
            return sum(args, Decimal(0))
        if node.value == "abs":
            return abs(args[0])
        if node.value == "min":
            return min(args)
        if node.value == "max":
            return max(args)
        if node.value == "round":
            places = int(args[1])
            if not 0 <= places <= 6:
                raise MissingValue("round ngoài giới hạn")
            from ..domain.numbers import round_half_up
            return round_half_up(args[0], places)
    raise ExpressionError(f"Biểu thức không hợp lệ ({kind}).")


def _number(value) -> Decimal:
    if isinstance(value, bool):
        return Decimal(int(value))
    return value


def _truth(value) -> bool:
    return bool(value)
