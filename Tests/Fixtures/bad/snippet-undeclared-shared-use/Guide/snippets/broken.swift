// snippet.title: Scaled
// snippet.uses: Scale.swift
print(scale(2) + offset())
