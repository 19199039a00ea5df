namespace Bulwark.Machine.Cpu.Fpu;

/// <summary>F and D arithmetic, compare, convert and move operations (everything in the OP-FP and
/// fused multiply-add opcodes). Loads and stores are ordinary <see cref="Op"/>s.</summary>
public enum FpOp : byte
{
    Invalid,
    FmaddS, FmsubS, FnmsubS, FnmaddS,
    FmaddD, FmsubD, FnmsubD, FnmaddD,
    FaddS, FsubS, FmulS, FdivS, FsqrtS,
    FaddD, FsubD, FmulD, FdivD, FsqrtD,
    FsgnjS, FsgnjnS, FsgnjxS, FsgnjD, FsgnjnD, FsgnjxD,
    FminS, FmaxS, FminD, FmaxD,
    FeqS, FltS, FleS, FeqD, FltD, FleD,
    FclassS, FclassD,
    FcvtWS, FcvtWuS, FcvtLS, FcvtLuS,
    FcvtSW, FcvtSWu, FcvtSL, FcvtSLu,
    FcvtWD, FcvtWuD, FcvtLD, FcvtLuD,
    FcvtDW, FcvtDWu, FcvtDL, FcvtDLu,
    FcvtSD, FcvtDS,
    FmvXW, FmvWX, FmvXD, FmvDX,
}
