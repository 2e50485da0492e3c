// snippet.title: Broken
// snippet.uses: Scale.swift
print(scale(2))
