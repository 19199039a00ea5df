namespace Bulwark.Machine.Memory;

/// <summary>No free frame of guest RAM was left for what had to be allocated (a page, a page table). A kernel
/// decides what that means for the program that needed it.</summary>
public class FramesExhaustedException(string message) : Exception(message);
