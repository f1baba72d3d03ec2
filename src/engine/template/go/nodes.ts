/**
 * The parse tree of a Go template, as text/template/parse/node.go defines it (the nodes the
 * evaluator needs; comments are dropped). `pos` is the node's index in the source.
 */

export interface TextNode {
  type: "text";
  pos: number;
  text: string;
}

export interface ListNode {
  type: "list";
  pos: number;
  nodes: Node[];
}

export interface PipeNode {
  type: "pipe";
  pos: number;
  /** `$x = …` rather than `$x := …`. */
  isAssign: boolean;
  decl: VariableNode[];
  cmds: CommandNode[];
}

export interface ActionNode {
  type: "action";
  pos: number;
  pipe: PipeNode;
}

export interface CommandNode {
  type: "command";
  pos: number;
  args: ArgNode[];
}

export interface IdentifierNode {
  type: "identifier";
  pos: number;
  ident: string;
}

/** `$`, `$x`, `$x.a.b`: ident[0] is the variable. */
export interface VariableNode {
  type: "variable";
  pos: number;
  ident: string[];
}

export interface DotNode {
  type: "dot";
  pos: number;
}

export interface NilNode {
  type: "nil";
  pos: number;
}

/** `.a.b`: ident is ["a", "b"]. */
export interface FieldNode {
  type: "field";
  pos: number;
  ident: string[];
}

/** `(pipeline).a.b`. */
export interface ChainNode {
  type: "chain";
  pos: number;
  node: ArgNode;
  field: string[];
}

export interface BoolNode {
  type: "bool";
  pos: number;
  value: boolean;
}

export interface NumberNode {
  type: "number";
  pos: number;
  text: string;
  isInt: boolean;
  isUint: boolean;
  isFloat: boolean;
  int: bigint;
  uint: bigint;
  float: number;
}

export interface StringNode {
  type: "string";
  pos: number;
  /** The unquoted text. */
  text: string;
}

export interface BranchNode {
  type: "if" | "range" | "with";
  pos: number;
  pipe: PipeNode;
  list: ListNode;
  elseList: ListNode | undefined;
}

export interface TemplateNode {
  type: "template";
  pos: number;
  name: string;
  pipe: PipeNode | undefined;
}

export interface BreakNode {
  type: "break" | "continue";
  pos: number;
}

/** Internal to the parser: `{{end}}` and `{{else}}`. */
export interface EndNode {
  type: "end" | "else";
  pos: number;
}

export type ArgNode =
  | IdentifierNode
  | VariableNode
  | DotNode
  | NilNode
  | FieldNode
  | ChainNode
  | BoolNode
  | NumberNode
  | StringNode
  | PipeNode;

export type Node =
  TextNode | ListNode | ActionNode | BranchNode | TemplateNode | BreakNode | EndNode;

/** A parsed template: its body and the templates it defines (`define`, `block`). */
export interface Templates {
  main: ListNode;
  defined: Map<string, ListNode>;
}
