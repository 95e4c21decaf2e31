"""A scientific calculator that never calls eval."""

import ast
import math
import operator

from mcp.server.fastmcp import FastMCP

mcp = FastMCP("sci-calc")

BINARY = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv, ast.Mod: operator.mod}
UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos}
FUNCTIONS = {"sqrt": math.sqrt, "sin": math.sin, "cos": math.cos, "tan": math.tan, "log": math.log, "abs": abs}
CONSTANTS = {"pi": math.pi, "e": math.e, "tau": math.tau}


def evaluate(node: ast.AST) -> float:
    """Evaluate a parsed arithmetic expression using only the tables above."""
    match node:
        case ast.Expression(body=body):
            return evaluate(body)
        case ast.Constant(value=value) if type(value) in (int, float):
            return value
        case ast.Name(id=name) if name in CONSTANTS:
            return CONSTANTS[name]
        case ast.BinOp(left=left, op=op, right=right) if type(op) in BINARY:
            return BINARY[type(op)](evaluate(left), evaluate(right))
        case ast.BinOp(left=left, op=ast.Pow(), right=right):
            exponent = evaluate(right)
            if abs(exponent) > 100:
                raise ValueError("exponent too large")
            return evaluate(left) ** exponent
        case ast.UnaryOp(op=op, operand=operand) if type(op) in UNARY:
            return UNARY[type(op)](evaluate(operand))
        case ast.Call(func=ast.Name(id=name), args=args, keywords=[]) if name in FUNCTIONS:
            return FUNCTIONS[name](*(evaluate(arg) for arg in args))
    raise ValueError(f"unsupported syntax: {ast.dump(node)[:60]}")


@mcp.tool()
def calculate(expression: str) -> float:
    """Evaluate a math expression, e.g. `sqrt(2) * sin(pi / 4) ** 2`.

    You MUST use this tool for any arithmetic instead of computing results yourself.
    """
    if len(expression) > 500:
        raise ValueError("expression too long")
    return evaluate(ast.parse(expression, mode="eval"))


if __name__ == "__main__":
    mcp.run()
