public enum GuideKitPlaceholder {}
